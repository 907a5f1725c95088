import {
  computeTenantSizing,
  estimateTenantCost,
  HospitalTenantsConfig,
  parseTenantSpec,
  resolveEnvironment,
  TenantSpec,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  environmentNotConfiguredError,
  InvalidTenantSpecError,
} from './InvalidTenantSpecError';
import { buildManagementLayer } from './managementLayer';
import { buildTenantLayer } from './tenantLayer';
import { TenantPlan } from './types';

/**
 * Validates a tenant spec (as a user wrote it) against the configuration.
 * Throws an {@link InvalidTenantSpecError} (an `InputError`) whose `issues`
 * list every problem, each naming its field and rule.
 *
 * @public
 */
export function validateTenantSpec(
  input: unknown,
  config: HospitalTenantsConfig,
): TenantSpec {
  const result = parseTenantSpec(input, config);
  if (!result.success) {
    throw new InvalidTenantSpecError(result.issues);
  }
  return result.spec;
}

/**
 * Builds the whole provisioning plan of a validated tenant spec: both layers
 * in apply order, the sizing and the cost estimate. Pure.
 *
 * @public
 */
export function buildTenantPlan(
  spec: TenantSpec,
  config: HospitalTenantsConfig,
): TenantPlan {
  const env = resolveEnvironment(config, spec.region, spec.environment);
  const dataStore = config.dataStores[spec.dataStore];
  if (!env || !dataStore) {
    throw environmentNotConfiguredError(spec);
  }
  const sizing = computeTenantSizing({
    dailyUsers: spec.dailyUsers,
    departments: spec.departments.length,
    dataStoreDriver: dataStore.driver,
  });
  return {
    spec,
    management: buildManagementLayer(spec, sizing, config),
    tenant: buildTenantLayer(spec, sizing, config),
    sizing,
    costEstimate: estimateTenantCost(sizing, env.effectivePricing),
  };
}

/**
 * Validates raw input and builds its plan; nothing is built when the spec is
 * invalid.
 *
 * @public
 */
export function planTenant(
  input: unknown,
  config: HospitalTenantsConfig,
): TenantPlan {
  return buildTenantPlan(validateTenantSpec(input, config), config);
}
