import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { CostSummary } from '@prontuario/plugin-hospital-tenants-common';
import { CostDashboardPage } from './CostDashboardPage';

const breakdown = { compute: 1, storage: 1, network: 1, shared: 1 };
const row = (tenantId: string, total: number, budget: number, status: any) => ({
  tenantId,
  entityRef: `resource:default/${tenantId}`,
  displayName: null,
  total,
  previousTotal: total / 1.12,
  sharePercent: Math.round((total / 58000) * 1000) / 10,
  growthPercent: 12,
  breakdown,
  monthlyBudgetBrl: budget,
  budgetStatus: status,
  savingsMonthly: null,
});
const SUMMARY: CostSummary = {
  period: '2026-10',
  previousPeriod: '2026-09',
  currency: 'BRL',
  total: 58000,
  previousTotal: 51785.71,
  growthPercent: 12,
  byCategory: breakdown,
  tenants: [
    row('hospital-santa-maria', 34300, 35000, 'at-risk'),
    row('hospital-sao-joao', 9900, 8000, 'over'),
    row('real-hospital-portugues', 13800, 15000, 'at-risk'),
  ],
  drivers: [],
  topMovers: [],
  savings: { available: true, monthlyTotal: 12000 },
  asOf: null,
  stale: false,
};

describe('CostDashboardPage', () => {
  it('shows the month, its total and each tenant linking to its page', async () => {
    const fetch = jest.fn(async () => new Response(JSON.stringify(SUMMARY)));
    await renderInTestApp(<CostDashboardPage />, {
      initialRouteEntries: ['/?period=2026-10'],
      apis: [
        [
          discoveryApiRef,
          { getBaseUrl: async () => 'http://portal/api/hospital-tenants' },
        ],
        [fetchApiRef, { fetch }],
      ],
    } as any);
    expect(await screen.findByTestId('dashboard-total')).toHaveTextContent(
      'R$58,000.00',
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://portal/api/hospital-tenants/costs/summary?period=2026-10',
    );
    const perTenant = screen.getByRole('table', {
      name: 'Cost per tenant (2026-10)',
    });
    expect(
      within(perTenant)
        .getAllByRole('row')
        .map(r => r.textContent),
    ).toEqual([
      'TenantCostShare',
      'hospital-santa-mariaR$34,300.0059.1 %',
      'hospital-sao-joaoR$9,900.0017.1 %',
      'real-hospital-portuguesR$13,800.0023.8 %',
    ]);
    const link = screen.getByRole('link', { name: 'hospital-sao-joao' });
    expect(link.getAttribute('href')).toMatch(
      /\/catalog\/default\/resource\/hospital-sao-joao$/,
    );
    expect(screen.getByTestId('tenant-hospital-sao-joao')).toHaveTextContent(
      'Over budget',
    );
    expect(screen.getByText(/12,000\.00 a month/)).toBeInTheDocument();
  });
});
