import { screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TENANT_COST as COST } from '../../__testUtils__/cost';
import userEvent from '@testing-library/user-event';
import { TenantCostCard } from './TenantCostCard';
import { formatBrl, formatPercent } from './money';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'hospital-santa-maria', namespace: 'default' },
  spec: {
    type: 'hospital-tenant',
    owner: 'group:default/hospital-santa-maria',
  },
};

function render(response: () => Response) {
  const fetch = jest.fn(async () => response());
  return {
    fetch,
    rendered: renderInTestApp(
      <EntityProvider entity={entity}>
        <TenantCostCard />
      </EntityProvider>,
      {
        apis: [
          [
            discoveryApiRef,
            { getBaseUrl: async () => 'http://portal/api/hospital-tenants' },
          ],
          [fetchApiRef, { fetch }],
        ],
      },
    ),
  };
}

// toHaveTextContent collapses the no-break space Intl puts after "R$"
const text = (s: string) => s.replace(/\s/g, ' ');

describe('TenantCostCard', () => {
  it("shows the tenant's cost in the user's language", async () => {
    const { fetch } = render(() => new Response(JSON.stringify(COST)));
    expect(await screen.findByTestId('previous-month')).toHaveTextContent(
      text(formatBrl(34300, 'en')),
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://portal/api/hospital-tenants/tenants/hospital-santa-maria/cost',
    );
    expect(screen.getByTestId('month-to-date')).toHaveTextContent(
      'R$33,000.00',
    );
    expect(screen.getByText(/At risk/)).toBeInTheDocument();
    expect(screen.getByText('2026-11-02')).toBeInTheDocument();
    expect(screen.getByText(/ehr\/ehr-api\/api/)).toBeInTheDocument();
  });

  it('draws the daily trend lazily, with its table for screen readers and on demand', async () => {
    render(() => new Response(JSON.stringify(COST)));
    const table = await screen.findByRole('table', { name: 'Daily trend' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('R$1,150.50')).toBeInTheDocument();
    // recharts arrives with the chart, after the card
    await waitFor(() =>
      expect(
        screen
          .getByTestId('cost-chart')
          .querySelector('.recharts-responsive-container'),
      ).not.toBeNull(),
    );
    const toggle = screen.getByRole('button', { name: 'Show as table' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(toggle);
    expect(
      screen.getByRole('button', { name: 'Show as chart' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByTestId('cost-chart')).toBeNull();
    expect(screen.getByRole('table', { name: 'Daily trend' })).toBeVisible();
  });

  it("shows the server's message on an error", async () => {
    render(
      () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'ServiceUnavailableError',
              message: 'No cost data yet',
            },
          }),
          { status: 503 },
        ),
    );
    expect(await screen.findByText(/No cost data yet/)).toBeInTheDocument();
  });

  it('says when the caller may not see the cost', async () => {
    render(() => new Response('{}', { status: 404 }));
    await waitFor(() =>
      expect(screen.getByText(/may not see the cost/)).toBeInTheDocument(),
    );
  });
});

describe('formatBrl', () => {
  it('formats per language', () => {
    expect(text(formatBrl(35000, 'pt-BR'))).toBe('R$ 35.000,00');
    expect(formatBrl(35000, 'en')).toBe('R$35,000.00');
    expect(formatPercent(97.8, 'pt-BR')).toBe('97,8 %');
    expect(formatPercent(97.8, 'en')).toBe('97.8 %');
  });
});
