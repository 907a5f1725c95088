import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  HOSPITAL_TENANT_RESOURCE_TYPE,
  HOSPITAL_TENANTS_PLUGIN_ID,
} from '@prontuario/plugin-hospital-tenants-common';
import { z } from 'zod';

/**
 * What a tenant permission is decided on: the tenant's entity ref and its
 * owner group, as the catalog entity of the tenant records them.
 *
 * @public
 */
export interface HospitalTenantPermissionResource {
  /** The tenant entity ref, `resource:default/<slug>`. */
  entityRef: string;
  /** The tenant id (slug). */
  tenantId: string;
  /** The owner group entity ref (`spec.owner`), lower-cased. */
  owner: string;
}

/**
 * A query that narrows a list of tenants to those a rule admits.
 *
 * @public
 */
export type HospitalTenantPermissionQuery = {
  property: 'owner';
  values: string[];
};

/**
 * The permission resource of the `hospital-tenant` resource type.
 *
 * @public
 */
export const hospitalTenantPermissionResourceRef = createPermissionResourceRef<
  HospitalTenantPermissionResource,
  HospitalTenantPermissionQuery
>().with({
  pluginId: HOSPITAL_TENANTS_PLUGIN_ID,
  resourceType: HOSPITAL_TENANT_RESOURCE_TYPE,
});

/**
 * "The caller owns this tenant": the tenant's owner group is one of the
 * caller's ownership entity refs, which the policy passes as `claims` (like
 * the catalog's `IS_ENTITY_OWNER`).
 *
 * @public
 */
export const isTenantOwner = createPermissionRule({
  name: 'IS_TENANT_OWNER',
  description:
    'Allow tenants whose owner group is one of the given ownership entity refs',
  resourceRef: hospitalTenantPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Ownership entity refs of the caller, e.g. group:default/hospital-santa-maria',
      ),
  }),
  apply: (tenant, { claims }) =>
    claims.some(claim => claim.toLocaleLowerCase('en-US') === tenant.owner),
  toQuery: ({ claims }) => ({
    property: 'owner',
    values: claims.map(claim => claim.toLocaleLowerCase('en-US')),
  }),
});

/**
 * Every permission rule of the `hospital-tenant` resource type.
 *
 * @public
 */
export const hospitalTenantPermissionRules = { isTenantOwner };

const conditionExports = createConditionExports({
  pluginId: HOSPITAL_TENANTS_PLUGIN_ID,
  resourceType: HOSPITAL_TENANT_RESOURCE_TYPE,
  rules: hospitalTenantPermissionRules,
});

/**
 * Condition factories for policies: `hospitalTenantConditions.isTenantOwner({ claims })`.
 *
 * @public
 */
export const hospitalTenantConditions = conditionExports.conditions;

/**
 * Builds a conditional decision on a `hospital-tenant` resource permission.
 *
 * @public
 */
export const createHospitalTenantConditionalDecision =
  conditionExports.createConditionalDecision;
