import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import type {
  TenantSlaHistory as History,
  TenantSlaHistoryMonth,
} from '@prontuario/plugin-hospital-tenants-common';
import { HospitalTenantsApi, hospitalTenantsApiRef } from '../../api';
import { TenantSlaHistory } from './TenantSlaHistory';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'hospital-sao-joao', namespace: 'default' },
  spec: { type: 'hospital-tenant', owner: 'group:default/hospital-sao-joao' },
};

const month = (
  period: string,
  over: Partial<TenantSlaHistoryMonth> = {},
): TenantSlaHistoryMonth => ({
  period,
  from: `${period}-01T03:00:00.000Z`,
  to: `${period}-28T03:00:00.000Z`,
  availability: 0.9995,
  latencyShareWithinTarget: 0.98,
  budgetConsumed: 0.5,
  verdict: 'met',
  breaches: 0,
  asOf: '2026-11-30T04:00:00.000Z',
  stale: false,
  ...over,
});

const history: History = {
  tenantId: 'hospital-sao-joao',
  entityRef: 'resource:default/hospital-sao-joao',
  timeZone: 'America/Recife',
  targets: { p95Seconds: 2, availability: 0.999, throughputRps: 1000 },
  months: [
    month('2026-11', {
      availability: 0.9972,
      latencyShareWithinTarget: 0.93,
      budgetConsumed: 2.8,
      verdict: 'breached',
      breaches: 3,
    }),
    month('2026-10', { budgetConsumed: 0.8, verdict: 'at-risk' }),
    month('2026-09', {
      availability: null,
      latencyShareWithinTarget: null,
      budgetConsumed: null,
      verdict: 'unknown',
    }),
  ],
  asOf: '2026-11-30T04:00:00.000Z',
  stale: false,
};

function fakeApi(
  getTenantSlaHistory?: HospitalTenantsApi['getTenantSlaHistory'],
) {
  return {
    listTenants: jest.fn(),
    getTenantStatus: jest.fn(),
    getTenantIsolation: jest.fn(),
    getTenantSlaHistory,
  } as HospitalTenantsApi;
}

async function render(api: HospitalTenantsApi, months?: number) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <TenantSlaHistory months={months} />
    </EntityProvider>,
    { apis: [[hospitalTenantsApiRef, api]] },
  );
}

function httpError(status: number, message: string) {
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

describe('TenantSlaHistory', () => {
  it('shows each month with its figures and verdict, the running month first', async () => {
    const get = jest.fn(async () => history);
    await render(fakeApi(get));
    const table = await screen.findByRole('table', { name: 'SLA history' });
    expect(get).toHaveBeenCalledWith('hospital-sao-joao', 6);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.getAttribute('data-period'))).toEqual([
      '2026-11',
      '2026-10',
      '2026-09',
    ]);
    expect(rows[0]).toHaveTextContent('2026-11 (so far)');
    expect(rows[0]).toHaveTextContent('99.72 %');
    expect(rows[0]).toHaveTextContent('93 %');
    expect(rows[0]).toHaveTextContent('280 %');
    expect(rows[0].querySelector('[data-verdict]')).toHaveAttribute(
      'data-verdict',
      'breached',
    );
    expect(rows[1].querySelector('[data-verdict]')).toHaveAttribute(
      'data-verdict',
      'at-risk',
    );
    // a month without traffic is unknown, not met
    expect(rows[2]).toHaveTextContent('no traffic');
    expect(rows[2].querySelector('[data-verdict]')).toHaveAttribute(
      'data-verdict',
      'unknown',
    );
    expect(
      within(table).getByRole('columnheader', { name: 'Within 2 s' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Calendar months in America\/Recife/),
    ).toHaveTextContent('availability 99.9 %');
  });

  it('asks for the months it is given and warns when months are stale', async () => {
    const get = jest.fn(async () => ({ ...history, stale: true }));
    await render(fakeApi(get), 3);
    expect(
      await screen.findByText(/Prometheus did not answer/),
    ).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('hospital-sao-joao', 3);
  });

  it('says there is no history yet when no month has traffic', async () => {
    const empty = {
      ...history,
      months: [
        month('2026-11', {
          availability: null,
          latencyShareWithinTarget: null,
          budgetConsumed: null,
          verdict: 'unknown',
        }),
      ],
    };
    await render(fakeApi(async () => empty));
    expect(await screen.findByText('No SLA history yet.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says so when the caller may not read the SLA (403), with no figures', async () => {
    const error = await httpError(403, "You may not read this tenant's sla");
    await render(fakeApi(async () => Promise.reject(error)));
    expect(
      await screen.findByText("You may not see this tenant's SLA history."),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('treats an invisible tenant like an unknown one (404)', async () => {
    const error = await httpError(404, 'No tenant hospital-sao-joao');
    await render(fakeApi(async () => Promise.reject(error)));
    expect(
      await screen.findByText('This tenant is not known to the tenant API.'),
    ).toBeInTheDocument();
  });

  it("shows the server's message on any other failure", async () => {
    const error = await httpError(503, 'No Prometheus is configured');
    await render(fakeApi(async () => Promise.reject(error)));
    expect(
      await screen.findByText(/Could not load the tenant's SLA history/),
    ).toBeInTheDocument();
    expect(screen.getByText('No Prometheus is configured')).toBeInTheDocument();
  });

  it('shows a loading indicator until the API answers', async () => {
    await render(fakeApi(() => new Promise<never>(() => {})));
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('reports an app without the history API as an error', async () => {
    await render(fakeApi(undefined));
    expect(
      await screen.findByText('This portal has no tenant SLA history API'),
    ).toBeInTheDocument();
  });
});
