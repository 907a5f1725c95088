import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import type { TenantSla } from '@prontuario/plugin-hospital-tenants-common';
import { HospitalTenantsApi, hospitalTenantsApiRef } from '../../api';
import { TenantSlaCard } from './TenantSlaCard';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'hospital-sao-joao', namespace: 'default' },
  spec: { type: 'hospital-tenant', owner: 'group:default/hospital-sao-joao' },
};

const sla: TenantSla = {
  tenantId: 'hospital-sao-joao',
  entityRef: 'resource:default/hospital-sao-joao',
  window: '30d',
  targets: { p95Seconds: 2, availability: 0.999, throughputRps: 1000 },
  verdict: 'breached',
  availability: {
    value: 0.99944,
    target: 0.999,
    badRequests: 560,
    totalRequests: 1_000_000,
    errorBudgetLeft: 0.44,
    verdict: 'at-risk',
  },
  burnRates: [
    {
      severity: 'page',
      longWindow: '1h',
      shortWindow: '5m',
      factor: 14.4,
      longRate: 30,
      shortRate: 30,
      firing: true,
    },
  ],
  alert: 'page',
  latency: {
    shareWithinTarget: 0.93,
    bucketSeconds: 2,
    precision: 'exact',
    p95Seconds: 2.8,
    targetSeconds: 2,
    verdict: 'breached',
  },
  throughput: {
    peakRps: 15.5,
    peakAt: '2026-11-30T01:00:00.000Z',
    targetRps: 1000,
    availabilityAtPeak: 0.97,
    latencyShareAtPeak: 0.93,
    heldAtPeak: false,
    capacity: 'not-measured',
    evidenceRps: null,
  },
  asOf: '2026-11-30T04:00:00.000Z',
  stale: false,
};

function fakeApi(overrides: Partial<HospitalTenantsApi> = {}) {
  return {
    listTenants: jest.fn(),
    getTenantStatus: jest.fn(),
    getTenantIsolation: jest.fn(),
    getTenantSla: jest.fn(async () => sla),
    getTenantSlaReportHtml: jest.fn(async () => '<html></html>'),
    ...overrides,
  } as HospitalTenantsApi;
}

async function render(api: HospitalTenantsApi) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <TenantSlaCard />
    </EntityProvider>,
    { apis: [[hospitalTenantsApiRef, api]] },
  );
}

async function httpError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        request: { method: 'GET', url: '/' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

describe('TenantSlaCard', () => {
  it('shows each target with its verdict, the budget left and the alert', async () => {
    const api = fakeApi();
    await render(api);
    const table = await screen.findByRole('table', { name: 'Tenant SLA' });
    expect(api.getTenantSla).toHaveBeenCalledWith('hospital-sao-joao');
    const availability = table.querySelector(
      '[data-indicator="availability"]',
    )!;
    expect(availability).toHaveTextContent('99.944 %');
    expect(availability).toHaveTextContent('Error budget left: 44 %');
    expect(
      availability.querySelector('[data-verdict="at-risk"]'),
    ).not.toBeNull();
    const latency = table.querySelector('[data-indicator="latency"]')!;
    expect(latency).toHaveTextContent('requests within 2 s');
    expect(latency).toHaveTextContent('93 %');
    expect(latency.querySelector('[data-verdict="breached"]')).not.toBeNull();
    const throughput = table.querySelector('[data-indicator="throughput"]')!;
    expect(throughput).toHaveTextContent('Observed peak 15.5 req/s');
    expect(throughput).toHaveTextContent('not measured');
    expect(screen.getByText(/Burn-rate alert/)).toHaveTextContent(
      'page: the budget is burning fast',
    );
  });

  it('opens the monthly report through the authenticated API', async () => {
    const api = fakeApi();
    const open = jest.spyOn(window, 'open').mockImplementation(() => null);
    const createObjectURL = jest.fn(() => 'blob:report');
    (URL as any).createObjectURL = createObjectURL;
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Monthly report/ }),
    );
    await waitFor(() =>
      expect(api.getTenantSlaReportHtml).toHaveBeenCalledWith(
        'hospital-sao-joao',
        expect.stringMatching(/^\d{4}-\d{2}$/),
      ),
    );
    await waitFor(() => expect(open).toHaveBeenCalled());
    open.mockRestore();
  });

  it('says when the values are stale, and an imprecise latency with its p95', async () => {
    await render(
      fakeApi({
        getTenantSla: jest.fn(async () => ({
          ...sla,
          stale: true,
          latency: {
            ...sla.latency,
            precision: 'imprecise' as const,
            p95Seconds: 1.7,
          },
        })),
      }),
    );
    expect(
      await screen.findByText(/Prometheus did not answer/),
    ).toBeInTheDocument();
    expect(screen.getByText(/interpolated p95 1.700 s/)).toBeInTheDocument();
  });

  it('not permitted (403), not found (404) and the server message otherwise', async () => {
    const forbidden = await httpError(403, 'no');
    const { unmount } = await render(
      fakeApi({ getTenantSla: jest.fn(async () => Promise.reject(forbidden)) }),
    );
    expect(
      await screen.findByText("You may not see this tenant's SLA."),
    ).toBeInTheDocument();
    unmount();
    const unavailable = await httpError(
      503,
      "This tenant's SLA has not been computed yet; try again in a few minutes",
    );
    await render(
      fakeApi({
        getTenantSla: jest.fn(async () => Promise.reject(unavailable)),
      }),
    );
    const panel = await screen.findByText(/not been computed yet/);
    expect(within(document.body).getByText(/Could not load/)).toBeTruthy();
    expect(panel).toBeInTheDocument();
  });
});
