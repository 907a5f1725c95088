import { act, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import type {
  CostSummary,
  TenantList,
} from '@prontuario/plugin-hospital-tenants-common';
import { HospitalTenantsApi, hospitalTenantsApiRef } from '../../api';
import { CostDashboardPage } from '../CostDashboardPage/CostDashboardPage';

const TENANTS = [
  'hospital-santa-maria',
  'hospital-sao-joao',
  'real-hospital-portugues',
];
const breakdown = { compute: 1, storage: 1, network: 1, shared: 1 };
const SUMMARY: CostSummary = {
  period: '2026-10',
  previousPeriod: '2026-09',
  currency: 'BRL',
  total: 3000,
  previousTotal: 3000,
  growthPercent: 0,
  byCategory: breakdown,
  tenants: TENANTS.map(tenantId => ({
    tenantId,
    entityRef: `resource:default/${tenantId}`,
    displayName: null,
    total: 1000,
    previousTotal: 1000,
    sharePercent: 33.3,
    growthPercent: 0,
    breakdown,
    monthlyBudgetBrl: 2000,
    budgetStatus: 'under',
    savingsMonthly: null,
  })),
  drivers: [],
  topMovers: [],
  savings: { available: false, reason: 'none' },
  asOf: null,
  stale: false,
};

const sla = (verdict: 'met' | 'at-risk' | 'breached' | 'unknown') => ({
  verdict,
  alert: verdict === 'breached' ? ('page' as const) : ('ok' as const),
  asOf: verdict === 'unknown' ? null : '2026-11-30T04:00:00.000Z',
  stale: verdict === 'unknown',
});

function fakeApi(pages: TenantList[] | Error) {
  return {
    listTenants: jest.fn(async ({ cursor }: { cursor?: string } = {}) => {
      if (pages instanceof Error) throw pages;
      return pages[cursor ? Number(cursor) : 0];
    }),
    getTenantStatus: jest.fn(),
    getTenantIsolation: jest.fn(),
  } as unknown as HospitalTenantsApi;
}

async function renderDashboard(api: HospitalTenantsApi) {
  await renderInTestApp(<CostDashboardPage />, {
    initialRouteEntries: ['/?period=2026-10'],
    apis: [
      [
        discoveryApiRef,
        { getBaseUrl: async () => 'http://portal/api/hospital-tenants' },
      ],
      [
        fetchApiRef,
        { fetch: jest.fn(async () => new Response(JSON.stringify(SUMMARY))) },
      ],
      [hospitalTenantsApiRef, api],
    ],
  } as any);
  await screen.findByTestId('dashboard-total');
}

const item = (tenantId: string, extra: object = {}) => ({
  tenantId,
  entityRef: `resource:default/${tenantId}`,
  ...extra,
});

describe('the SLA column of the dashboard table', () => {
  it("shows each tenant's verdict as a chip, across the list's pages", async () => {
    const api = fakeApi([
      {
        items: [
          item('hospital-santa-maria', { sla: sla('met') }),
          item('hospital-sao-joao', { sla: sla('breached') }),
        ],
        nextCursor: '1',
      },
      { items: [item('real-hospital-portugues', { sla: sla('unknown') })] },
    ]);
    await renderDashboard(api);
    expect(
      await screen.findByRole('columnheader', { name: 'SLA' }),
    ).toBeInTheDocument();
    const chip = (tenantId: string) =>
      screen
        .getByTestId(`sla-${tenantId}`)
        .querySelector('[data-verdict]')
        ?.getAttribute('data-verdict');
    expect(chip('hospital-santa-maria')).toBe('met');
    expect(chip('hospital-sao-joao')).toBe('breached');
    expect(chip('real-hospital-portugues')).toBe('unknown');
    expect(
      within(screen.getByTestId('tenant-hospital-sao-joao')).getByText(
        'breached',
      ),
    ).toBeInTheDocument();
    expect(api.listTenants).toHaveBeenCalledTimes(2);
    expect(api.listTenants).toHaveBeenLastCalledWith({
      limit: 100,
      cursor: '1',
    });
  });

  it('shows "—" for a tenant whose SLA the caller may not read', async () => {
    await renderDashboard(
      fakeApi([
        {
          items: [
            item('hospital-santa-maria', { sla: sla('at-risk') }),
            item('hospital-sao-joao'),
          ],
        },
      ]),
    );
    await screen.findByRole('columnheader', { name: 'SLA' });
    expect(screen.getByTestId('sla-hospital-sao-joao')).toHaveTextContent('—');
    expect(
      screen
        .getByTestId('sla-hospital-santa-maria')
        .querySelector('[data-verdict]'),
    ).toHaveAttribute('data-verdict', 'at-risk');
  });

  it('has no column and no verdict for a caller who may read no SLA (finance)', async () => {
    const api = fakeApi([
      {
        items: TENANTS.map(tenantId => item(tenantId, { cost: undefined })),
      },
    ]);
    await renderDashboard(api);
    await waitFor(() => expect(api.listTenants).toHaveBeenCalled());
    // let the list's answer render before asserting what is absent
    await act(async () => {
      await (api.listTenants as jest.Mock).mock.results[0].value;
    });
    expect(screen.queryByRole('columnheader', { name: 'SLA' })).toBeNull();
    expect(screen.queryByTestId(/^sla-/)).toBeNull();
    expect(document.querySelector('[data-verdict]')).toBeNull();
    // the tenants table (the charts' table alternatives are other tables)
    expect(
      within(
        screen.getByRole('table', { name: 'Hospital tenants: costs' }),
      ).getAllByRole('columnheader'),
    ).toHaveLength(6);
  });

  it('keeps the cost table when the tenant list fails, without the column', async () => {
    const api = fakeApi(new Error('503 Service Unavailable'));
    await renderDashboard(api);
    await waitFor(() => expect(api.listTenants).toHaveBeenCalled());
    await act(async () => {
      await (api.listTenants as jest.Mock).mock.results[0].value.catch(
        () => undefined,
      );
    });
    expect(screen.getByTestId('tenant-hospital-sao-joao')).toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'SLA' })).toBeNull();
  });
});
