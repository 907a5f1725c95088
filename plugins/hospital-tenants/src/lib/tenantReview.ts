import {
  computeTenantSizing,
  DataStoreDriver,
  departmentNamespaceName,
  estimateTenantCost,
  managementNamespaceName,
  TenantCostEstimate,
  TenantPricing,
  TenantSizing,
  tenantEntityRef,
} from '@prontuario/plugin-hospital-tenants-common';
import { TenantFormConfig } from './tenantFormConfig';

/**
 * The form values the review step reads (what the user has entered so far).
 *
 * @public
 */
export interface TenantReviewInput {
  displayName?: string;
  slug?: string;
  region?: string;
  environment?: string;
  dailyUsers?: number;
  departments?: string[];
  monthlyBudgetBrl?: number;
}

/**
 * What the review step shows: the sizing and cost that the provisioning
 * action will apply, computed by the same functions (`computeTenantSizing`,
 * `estimateTenantCost`) from the same inputs (the environment's first
 * DataStore, the environment's prices or the default prices).
 *
 * @public
 */
export type TenantReview =
  | {
      ok: true;
      dataStore: string;
      dataStoreDriver: DataStoreDriver;
      pricing: TenantPricing;
      sizing: TenantSizing;
      cost: TenantCostEstimate;
      departments: Array<{ name: string; namespace: string }>;
      managementNamespace?: string;
      entityRef?: string;
      /** Undefined when no budget was entered. */
      withinBudget?: boolean;
    }
  | {
      ok: false;
      /** The fields that must be filled in before anything can be sized. */
      missing: Array<'region' | 'environment' | 'dailyUsers' | 'departments'>;
    };

/**
 * Sizes and prices a tenant from form values and the frontend-visible
 * configuration, exactly as `buildTenantPlan` does on the server.
 *
 * @public
 */
export function reviewTenant(
  input: TenantReviewInput,
  config: TenantFormConfig,
): TenantReview {
  const missing: Array<
    'region' | 'environment' | 'dailyUsers' | 'departments'
  > = [];
  const region =
    input.region && Object.hasOwn(config.regions, input.region)
      ? config.regions[input.region]
      : undefined;
  if (!region) {
    missing.push('region');
  }
  const env =
    region &&
    input.environment &&
    Object.hasOwn(region.environments, input.environment)
      ? region.environments[input.environment]
      : undefined;
  if (region && !env) {
    missing.push('environment');
  }
  const dailyUsers = input.dailyUsers;
  if (
    typeof dailyUsers !== 'number' ||
    !Number.isInteger(dailyUsers) ||
    dailyUsers < 1
  ) {
    missing.push('dailyUsers');
  }
  const departments = (input.departments ?? []).filter(
    d => typeof d === 'string' && departmentNamespaceName(d) !== '',
  );
  if (departments.length === 0) {
    missing.push('departments');
  }
  const dataStore = env?.dataStores[0];
  const dataStoreConfig =
    dataStore && Object.hasOwn(config.dataStores, dataStore)
      ? config.dataStores[dataStore]
      : undefined;
  if (env && !dataStoreConfig) {
    missing.push('environment');
  }
  if (missing.length > 0 || !env || !dataStore || !dataStoreConfig) {
    return { ok: false, missing };
  }

  const sizing = computeTenantSizing({
    dailyUsers: dailyUsers as number,
    departments: departments.length,
    dataStoreDriver: dataStoreConfig.driver,
  });
  const pricing = env.pricing ?? config.pricing;
  const cost = estimateTenantCost(sizing, pricing);
  const budget = input.monthlyBudgetBrl;
  return {
    ok: true,
    dataStore,
    dataStoreDriver: dataStoreConfig.driver,
    pricing,
    sizing,
    cost,
    departments: departments.map(name => ({
      name,
      namespace: departmentNamespaceName(name),
    })),
    ...(input.slug
      ? {
          managementNamespace: managementNamespaceName(input.slug),
          entityRef: tenantEntityRef(input.slug),
        }
      : {}),
    ...(typeof budget === 'number' && budget > 0
      ? { withinBudget: cost.monthlyHighBrl <= budget }
      : {}),
  };
}
