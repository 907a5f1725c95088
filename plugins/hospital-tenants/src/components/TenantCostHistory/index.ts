export { TenantCostHistory, TenantCostHistoryView } from './TenantCostHistory';
