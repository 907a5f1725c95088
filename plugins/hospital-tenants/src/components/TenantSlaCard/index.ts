export { TenantSlaCard } from './TenantSlaCard';
