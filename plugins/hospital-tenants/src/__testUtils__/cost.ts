import type { TenantCost } from '@prontuario/plugin-hospital-tenants-common';

const breakdown = { compute: 10, storage: 5, network: 2, shared: 1 };
const components = { workloads: 15, controlPlane: 2, platformShare: 1 };
/** A loaded `/tenants/{id}/cost` of Santa Maria (component tests). */
export const TENANT_COST: TenantCost = {
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
  monthly: [
    { period: '2026-09', total: 30625, complete: true, budgetStatus: 'under' },
    {
      period: '2026-10',
      total: 34300,
      complete: true,
      budgetStatus: 'at-risk',
    },
    {
      period: '2026-11',
      total: 33000,
      complete: false,
      budgetStatus: 'at-risk',
    },
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
