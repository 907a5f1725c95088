import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { TENANT_COST } from '../../__testUtils__/cost';
import { TenantCostHistory } from './TenantCostHistory';

function render(response: () => Response) {
  const fetch = jest.fn(async () => response());
  renderInTestApp(<TenantCostHistory tenantId="hospital-santa-maria" />, {
    apis: [
      [
        discoveryApiRef,
        { getBaseUrl: async () => 'http://portal/api/hospital-tenants' },
      ],
      [fetchApiRef, { fetch }],
    ],
  });
  return fetch;
}

describe('TenantCostHistory', () => {
  it('lists each month, newest first, with its budget status', async () => {
    const fetch = render(() => new Response(JSON.stringify(TENANT_COST)));
    const table = await screen.findByRole('table', { name: 'Monthly cost' });
    expect(fetch).toHaveBeenCalledWith(
      'http://portal/api/hospital-tenants/tenants/hospital-santa-maria/cost',
    );
    const rows = within(table).getAllByRole('row');
    expect(rows.map(r => r.textContent)).toEqual([
      'MonthCostBudget status',
      '2026-11 (so far)R$33,000.00At risk',
      '2026-10R$34,300.00At risk',
      '2026-09R$30,625.00Under budget',
    ]);
    expect(
      screen.getByRole('button', { name: 'Show as table' }),
    ).toBeInTheDocument();
  });

  it('says so when there is no history yet, or the cost may not be seen', async () => {
    render(() => new Response(JSON.stringify({ ...TENANT_COST, monthly: [] })));
    expect(
      await screen.findByText('No monthly history yet.'),
    ).toBeInTheDocument();
  });

  it('says when the caller may not see the cost', async () => {
    render(() => new Response('{}', { status: 403 }));
    expect(await screen.findByText(/may not see the cost/)).toBeInTheDocument();
  });
});
