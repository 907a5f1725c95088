/**
 * The hospital-tenants backend plugin: the tenant API (`/api/hospital-tenants`):
 * the tenants a caller may see, each tenant's status and isolation posture.
 *
 * @packageDocumentation
 */
export { hospitalTenantsPlugin as default } from './plugin';
