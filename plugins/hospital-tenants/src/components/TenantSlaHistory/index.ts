export { TenantSlaHistory, TenantSlaHistoryTable } from './TenantSlaHistory';
export { useTenantSlaHistory } from './useTenantSlaHistory';
export type { SlaHistoryData } from './useTenantSlaHistory';
