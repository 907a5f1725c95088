export { TenantContent } from './TenantContent';
