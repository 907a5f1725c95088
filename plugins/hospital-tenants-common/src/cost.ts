import { TenantPricing } from './config';
import { TenantSizing } from './sizing';

/**
 * The share of the department quotas a tenant is expected to request on a
 * normal month (the low end of the estimate); the high end is the full quota.
 *
 * @public
 */
export const EXPECTED_QUOTA_UTILIZATION = 0.5;

/**
 * A monthly cost range in BRL, with its components.
 *
 * @public
 */
export interface TenantCostEstimate {
  currency: 'BRL';
  monthlyLowBrl: number;
  monthlyHighBrl: number;
  breakdown: {
    /** Control plane at its steady replicas (management cluster). */
    controlPlaneBrl: number;
    /** Department compute, low and high. */
    tenantComputeLowBrl: number;
    tenantComputeHighBrl: number;
    /** Department persistent storage, low and high. */
    storageLowBrl: number;
    storageHighBrl: number;
    /** Share of shared platform costs (DataStore, management nodes), low and high. */
    sharedPlatformLowBrl: number;
    sharedPlatformHighBrl: number;
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * Estimates the monthly cost of a tenant from its sizing and the configured
 * prices: control plane + department compute and storage (half the quota to
 * the full quota) + the shared-platform share of that subtotal.
 *
 * @public
 */
export function estimateTenantCost(
  sizing: TenantSizing,
  pricing: TenantPricing,
): TenantCostEstimate {
  const compute = (cpuMillicores: number, memoryMebibytes: number) =>
    (cpuMillicores / 1000) * pricing.vcpuMonthBrl +
    (memoryMebibytes / 1024) * pricing.memoryGibMonthBrl;

  const controlPlane = compute(
    sizing.totals.controlPlane.cpuMillicores,
    sizing.totals.controlPlane.memoryMebibytes,
  );
  const tenantHigh = compute(
    sizing.totals.tenantLayer.cpuMillicores,
    sizing.totals.tenantLayer.memoryMebibytes,
  );
  const tenantLow = tenantHigh * EXPECTED_QUOTA_UTILIZATION;
  const storageHigh =
    sizing.totals.tenantLayer.storageGibibytes * pricing.storageGibMonthBrl;
  const storageLow = storageHigh * EXPECTED_QUOTA_UTILIZATION;
  const sharedLow =
    (controlPlane + tenantLow + storageLow) * pricing.sharedPlatformShare;
  const sharedHigh =
    (controlPlane + tenantHigh + storageHigh) * pricing.sharedPlatformShare;

  return {
    currency: 'BRL',
    monthlyLowBrl: round(controlPlane + tenantLow + storageLow + sharedLow),
    monthlyHighBrl: round(controlPlane + tenantHigh + storageHigh + sharedHigh),
    breakdown: {
      controlPlaneBrl: round(controlPlane),
      tenantComputeLowBrl: round(tenantLow),
      tenantComputeHighBrl: round(tenantHigh),
      storageLowBrl: round(storageLow),
      storageHighBrl: round(storageHigh),
      sharedPlatformLowBrl: round(sharedLow),
      sharedPlatformHighBrl: round(sharedHigh),
    },
  };
}
