import { screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import type {
  TenantIsolation,
  TenantStatus,
} from '@prontuario/plugin-hospital-tenants-common';
import { HospitalTenantsApi, hospitalTenantsApiRef } from '../../api';
import { TenantIsolationCard } from './TenantIsolationCard';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'hospital-santa-maria', namespace: 'default' },
  spec: {
    type: 'hospital-tenant',
    owner: 'group:default/hospital-santa-maria',
  },
};

const status: TenantStatus = {
  tenantId: 'hospital-santa-maria',
  entityRef: 'resource:default/hospital-santa-maria',
  phase: 'Ready',
  version: { desired: 'v1.33.1', observed: 'v1.33.1' },
  endpoint: '10.10.10.200:6443',
  replicas: { desired: 2, ready: 2 },
  conditions: [{ type: 'Available', status: 'True' }],
  dataStore: { name: 'etcd-shared', driver: 'etcd', schema: 'hsm' },
  createdAt: '2026-11-29T00:00:00Z',
  ageSeconds: 86400,
  asOf: '2026-11-30T10:00:00.000Z',
  stale: false,
};

const isolation: TenantIsolation = {
  tenantId: 'hospital-santa-maria',
  entityRef: 'resource:default/hospital-santa-maria',
  score: { passed: 1, failed: 1, unknown: 1, total: 3, percent: 33 },
  checks: [
    {
      id: 'management.pod-security',
      layer: 'management',
      title: 'Namespace enforces Pod Security baseline or stricter',
      result: 'pass',
      evidence: ['pod-security.kubernetes.io/enforce=baseline'],
    },
    {
      id: 'management.default-deny',
      layer: 'management',
      title: 'Network traffic is denied by default',
      result: 'fail',
      evidence: [
        'ingress from an unrelated namespace to the API server (6443): ADMITTED',
      ],
    },
    {
      id: 'tenant.cni',
      layer: 'tenant',
      title: 'An enforcing CNI (Cilium or Calico) is detected',
      result: 'unknown',
      evidence: ['not checked yet'],
    },
  ],
  quota: [{ resource: 'pods', used: '2', hard: '4', percent: 50 }],
  asOf: '2026-11-30T10:00:00.000Z',
  stale: false,
};

function fakeApi(
  overrides: Partial<HospitalTenantsApi> = {},
): HospitalTenantsApi {
  return {
    listTenants: jest.fn(),
    getTenantStatus: jest.fn(async () => status),
    getTenantIsolation: jest.fn(async () => isolation),
    ...overrides,
  };
}

async function render(api: HospitalTenantsApi) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <TenantIsolationCard />
    </EntityProvider>,
    { apis: [[hospitalTenantsApiRef, api]] },
  );
}

function responseError(statusCode: number, message: string) {
  return ResponseError.fromResponse({
    ok: false,
    status: statusCode,
    statusText: 'x',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () =>
      JSON.stringify({
        error: { name: 'Error', message },
        request: { method: 'GET', url: '/' },
        response: { statusCode },
      }),
  } as any);
}

describe('TenantIsolationCard', () => {
  it('shows phase, version, endpoint, score, each check with its evidence and quota bars', async () => {
    const api = fakeApi();
    await render(api);
    expect(await screen.findByText('Tenant isolation')).toBeInTheDocument();
    await screen.findByText('Ready');
    expect(api.getTenantStatus).toHaveBeenCalledWith('hospital-santa-maria');
    expect(screen.getByText('v1.33.1')).toBeInTheDocument();
    expect(screen.getByText('10.10.10.200:6443')).toBeInTheDocument();
    expect(screen.getByText('33 % (1 of 3 checks pass)')).toBeInTheDocument();
    const management = screen.getByRole('list', { name: 'Management cluster' });
    const failing = within(management)
      .getByText('Network traffic is denied by default')
      .closest('li')!;
    expect(
      within(failing as HTMLElement).getByText('fail'),
    ).toBeInTheDocument();
    expect(
      within(failing as HTMLElement).getByText(
        'ingress from an unrelated namespace to the API server (6443): ADMITTED',
      ),
    ).toBeInTheDocument();
    const tenant = screen.getByRole('list', { name: 'Tenant cluster' });
    expect(within(tenant).getByText('unknown')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'pods 50 %' }),
    ).toHaveAttribute('aria-valuenow', '50');
    expect(screen.getByText(/^As of /)).toBeInTheDocument();
  });

  it('says when the values are stale, and as of when', async () => {
    await render(
      fakeApi({
        getTenantStatus: jest.fn(async () => ({ ...status, stale: true })),
      }),
    );
    expect(
      await screen.findByText(
        /The cluster did not answer: showing the last known values, as of /,
      ),
    ).toBeInTheDocument();
  });

  it("shows the server's message on an error", async () => {
    const error = await responseError(
      503,
      'No data yet and the upstream read failed: boom',
    );
    await render(
      fakeApi({
        getTenantIsolation: jest.fn(async () => {
          throw error;
        }),
      }),
    );
    expect(
      await screen.findByText('Error: Could not load the tenant'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No data yet and the upstream read failed: boom'),
    ).toBeInTheDocument();
  });

  it('says the caller may not see the tenant on 403, and that it is unknown on 404', async () => {
    const forbidden = await responseError(403, 'no');
    await render(
      fakeApi({
        getTenantStatus: jest.fn(async () => {
          throw forbidden;
        }),
      }),
    );
    expect(
      await screen.findByText(
        "You may not see this tenant's status and isolation.",
      ),
    ).toBeInTheDocument();
  });

  it('says when a tenant is not known', async () => {
    const missing = await responseError(404, 'No tenant hospital-santa-maria');
    await render(
      fakeApi({
        getTenantStatus: jest.fn(async () => {
          throw missing;
        }),
      }),
    );
    expect(
      await screen.findByText('This tenant is not known to the tenant API.'),
    ).toBeInTheDocument();
  });

  it('shows an empty state and a pending control plane', async () => {
    await render(
      fakeApi({
        getTenantStatus: jest.fn(async () => ({
          ...status,
          phase: 'pending',
          endpoint: null,
        })),
        getTenantIsolation: jest.fn(async () => ({
          ...isolation,
          checks: [],
          quota: [],
        })),
      }),
    );
    expect(
      await screen.findByText('No isolation checks yet.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The control plane has not reported yet.'),
    ).toBeInTheDocument();
  });

  it('shows a progress bar while loading', async () => {
    await render(
      fakeApi({
        getTenantStatus: jest.fn(() => new Promise<TenantStatus>(() => {})),
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('progress')).toBeInTheDocument(),
    );
  });
});
