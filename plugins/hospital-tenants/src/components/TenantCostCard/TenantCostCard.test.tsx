import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TenantCost } from '@prontuario/plugin-hospital-tenants-common';
import { TenantCostCard } from './TenantCostCard';
import { formatBrl } from './money';

const breakdown = { compute: 10, storage: 5, network: 2, shared: 1 };
const components = { workloads: 15, controlPlane: 2, platformShare: 1 };
const COST: TenantCost = {
  tenantId: 'hospital-santa-maria',
  currency: 'BRL',
  timeZone: 'America/Sao_Paulo',
  source: 'kubecost',
  monthToDate: {
    period: '2026-11',
    through: '2026-11-30',
    total: 33000,
    breakdown,
    components,
    idleExcluded: 100,
    efficiency: { cpu: 0.42, ram: 0.61, total: 0.5 },
  },
  previousMonth: {
    period: '2026-10',
    total: 34300,
    breakdown,
    components,
    idleExcluded: 100,
    efficiency: null,
  },
  efficiency: { cpu: 0.42, ram: 0.61, total: 0.5 },
  daily: [
    { day: '2026-11-01', total: 1100 },
    { day: '2026-11-02', total: 1150.5 },
  ],
  forecast: { total: 34100, method: 'run rate' },
  dailyUsers: 500,
  costPerDailyUser: { previousMonth: 68.6, forecast: 68.2 },
  budget: {
    monthlyBrl: 35000,
    atRiskPercent: 90,
    forecastStatus: 'at-risk',
    monthToDateStatus: 'at-risk',
    previousMonthStatus: 'at-risk',
    forecastPercent: 97.4,
  },
  savings: {
    available: true,
    monthlyTotal: 6900,
    top: [
      {
        namespace: 'ehr',
        controller: 'ehr-api',
        container: 'api',
        monthlySavings: 4140,
      },
    ],
  },
  asOf: '2026-11-30T12:00:00.000Z',
  stale: false,
};

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
  });
});
