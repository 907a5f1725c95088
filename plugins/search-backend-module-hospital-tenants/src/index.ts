/**
 * The search collator of hospital tenants: one `hospital-tenant` document
 * per tenant, visible to callers allowed `hospital-tenants.tenant.read` on it.
 *
 * @packageDocumentation
 */
export { searchModuleHospitalTenantsCollator as default } from './module';
export { HospitalTenantCollatorFactory } from './collator/HospitalTenantCollatorFactory';
export {
  toHospitalTenantDocument,
  type HospitalTenantDocument,
  type HospitalTenantFacts,
} from './collator/HospitalTenantDocument';
export {
  TenantApiSource,
  TENANT_API_PAGE_SIZE,
  type HospitalTenantSource,
} from './collator/TenantApiSource';
export { searchModuleHospitalTenantsLunrEngine } from './engineModule';
export { NameMatchLunrSearchEngine } from './engine/NameMatchLunrSearchEngine';
export {
  rankByNameMatch,
  DEFAULT_PREFERRED_TYPES,
  type NameMatch,
} from './engine/nameMatchRanking';
