import { createTranslationRef } from '@backstage/frontend-plugin-api';

/** English strings of the "Tenant cost" card. @public */
export const tenantCostEnglishMessages = {
  title: 'Tenant cost',
  loading: 'Loading the cost…',
  error: 'Could not load the cost: {{message}}',
  notPermitted: 'You may not see the cost of this tenant.',
  stale: 'As of {{asOf}} (the last refresh failed or is late)',
  asOf: 'As of {{asOf}}',
  monthToDate: 'Month to date ({{period}})',
  ofBudget: '{{percent}} % of the {{budget}} budget (forecast)',
  noBudget: 'No budget on this tenant',
  status: {
    under: 'Under budget',
    'at-risk': 'At risk',
    over: 'Over budget',
  },
  previousMonth: 'Previous month ({{period}})',
  forecast: 'Forecast for the month',
  perDailyUser: 'Per daily user (forecast)',
  breakdown: 'Breakdown',
  category: {
    compute: 'Compute',
    storage: 'Storage',
    network: 'Network',
    shared: 'Shared',
  },
  component: {
    workloads: "The tenant's own cluster",
    controlPlane: 'Control plane (management cluster)',
    platformShare: 'Share of the shared platform',
  },
  efficiency: 'Efficiency: CPU {{cpu}}, RAM {{ram}}',
  trend: 'Daily trend',
  day: 'Day',
  amount: 'Cost',
  savings: 'Top savings ({{total}} a month)',
  noSavings: 'Savings: {{reason}}',
  workload: 'Workload',
  dashboard: {
    title: 'Hospital tenants: costs',
    period: 'Month',
    total: 'Total for {{period}}',
    growth: '{{growth}} against {{previous}}',
    tenant: 'Tenant',
    cost: 'Cost',
    share: 'Share',
    budget: 'Budget',
    budgetStatus: 'Budget status',
    alerts: 'Budget alerts',
    noAlerts: 'No tenant is at risk or over budget.',
    drivers: 'What changed most',
    savings: 'Savings opportunities: {{total}} a month',
    downloadCsv: 'Download CSV',
    empty: 'No tenant whose cost you may see.',
  },
  charts: {
    showTable: 'Show as table',
    showChart: 'Show as chart',
    perTenant: 'Cost per tenant ({{period}})',
    budget: 'Budget',
  },
  history: {
    title: 'Monthly cost',
    month: 'Month',
    status: 'Budget status',
    current: '{{period}} (so far)',
    empty: 'No monthly history yet.',
  },
} as const;

/** The card's strings, with Brazilian Portuguese. @public */
export const tenantCostTranslationRef = createTranslationRef({
  id: 'hospital-tenants.cost',
  messages: tenantCostEnglishMessages,
  translations: {
    'pt-BR': () => import('./pt-BR'),
  },
});
