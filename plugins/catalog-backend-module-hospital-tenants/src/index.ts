/**
 * Catalog entity provider for hospital tenants: the management cluster is the
 * source of truth. One `resource:default/<slug>` entity of type
 * `hospital-tenant` per TenantControlPlane labelled `hospital-tenants.io/tenant`.
 *
 * @packageDocumentation
 */

export { catalogModuleHospitalTenants as default } from './module';
export { HospitalTenantEntityProvider } from './provider/HospitalTenantEntityProvider';
export type { TenantControlPlaneReader } from './provider/HospitalTenantEntityProvider';
export { tenantControlPlaneToEntity } from './provider/tenantControlPlaneToEntity';
export type { TenantControlPlaneLike } from './provider/tenantControlPlaneToEntity';
