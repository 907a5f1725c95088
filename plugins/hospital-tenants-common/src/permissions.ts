import { createPermission } from '@backstage/plugin-permission-common';
import { HOSPITAL_TENANT_TYPE } from './constants';

/**
 * The permission resource type of a tenant; the resource ref is the tenant
 * entity ref (`resource:default/<slug>`).
 *
 * @public
 */
export const HOSPITAL_TENANT_RESOURCE_TYPE = HOSPITAL_TENANT_TYPE;

/**
 * Provision a new tenant (basic: the tenant does not exist yet).
 *
 * @public
 */
export const tenantProvisionPermission = createPermission({
  name: 'hospital-tenants.tenant.provision',
  attributes: { action: 'create' },
});

/**
 * Read a tenant's status and isolation posture.
 *
 * @public
 */
export const tenantReadPermission = createPermission({
  name: 'hospital-tenants.tenant.read',
  attributes: { action: 'read' },
  resourceType: HOSPITAL_TENANT_RESOURCE_TYPE,
});

/**
 * Read a tenant's cost.
 *
 * @public
 */
export const tenantCostReadPermission = createPermission({
  name: 'hospital-tenants.cost.read',
  attributes: { action: 'read' },
  resourceType: HOSPITAL_TENANT_RESOURCE_TYPE,
});

/**
 * Read a tenant's SLA.
 *
 * @public
 */
export const tenantSlaReadPermission = createPermission({
  name: 'hospital-tenants.sla.read',
  attributes: { action: 'read' },
  resourceType: HOSPITAL_TENANT_RESOURCE_TYPE,
});

/**
 * Every permission of the suite.
 *
 * @public
 */
export const hospitalTenantsPermissions = [
  tenantProvisionPermission,
  tenantReadPermission,
  tenantCostReadPermission,
  tenantSlaReadPermission,
];
