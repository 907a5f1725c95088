import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { DateTime } from 'luxon';

/** Where one tenant's own cluster is read. */
export interface TenantClusterOverride {
  /** cluster name in a federated source */
  cluster?: string;
  /** a source of its own */
  baseUrl?: string;
}

/** `hospitalTenants.cost` (see config.d.ts). */
export interface CostSettings {
  product: 'kubecost' | 'opencost';
  baseUrl: string;
  apiKey?: string;
  /** the currency every source must be configured with: BRL */
  currency: 'BRL';
  timeZone: string;
  /** the management cluster's name in a federated source ('' = not federated: no cluster filter) */
  managementCluster: string;
  /** `{slug}` → the tenant's cluster name in a federated source ('' = no cluster filter) */
  clusterTemplate: string;
  /** `{slug}` → the tenant cluster's own source; unset = the federated `baseUrl` */
  baseUrlTemplate?: string;
  overrides: Record<string, TenantClusterOverride>;
  tenantLabel: string;
  sharedNamespaces: string[];
  includeManagementIdle: boolean;
  /** the part of the shared pool charged to tenants (0–1) */
  sharedFraction: number;
  refreshMinutes: number;
  reconcileDays: number;
  /** whole months before the current one pulled for a tenant without snapshots */
  backfillMonths: number;
  atRiskPercent: number;
  /** a refresh older than this is served `stale: true` */
  staleAfterMs: number;
}

/** The cost settings, or undefined when `hospitalTenants.cost` is not configured. */
export function readCostSettings(
  config: RootConfigService,
): CostSettings | undefined {
  const c = config.getOptionalConfig('hospitalTenants.cost');
  if (!c) return undefined;
  const product = c.getString('source.product');
  if (product !== 'kubecost' && product !== 'opencost') {
    throw new InputError(
      `hospitalTenants.cost.source.product must be kubecost or opencost, not ${product}`,
    );
  }
  const timeZone = c.getOptionalString('timeZone') ?? 'America/Sao_Paulo';
  if (!DateTime.now().setZone(timeZone).isValid) {
    throw new InputError(
      `hospitalTenants.cost.timeZone ${timeZone} is not a time zone`,
    );
  }
  const overrides: Record<string, TenantClusterOverride> = {};
  const o = c.getOptionalConfig('tenantClusters.overrides');
  for (const slug of o?.keys() ?? []) {
    overrides[slug] = {
      cluster: o!.getOptionalString(`${slug}.cluster`),
      baseUrl: o!.getOptionalString(`${slug}.baseUrl`),
    };
  }
  const refreshMinutes = c.getOptionalNumber('refreshMinutes') ?? 60;
  const sharedFraction = c.getOptionalNumber('shared.fraction') ?? 1;
  if (sharedFraction < 0 || sharedFraction > 1) {
    throw new InputError(
      'hospitalTenants.cost.shared.fraction must be within 0 and 1',
    );
  }
  return {
    product,
    baseUrl: c.getString('source.baseUrl'),
    apiKey: c.getOptionalString('source.apiKey'),
    currency: 'BRL',
    timeZone,
    managementCluster: c.getOptionalString('managementCluster') ?? 'management',
    clusterTemplate:
      c.getOptionalString('tenantClusters.clusterTemplate') ?? '{slug}',
    baseUrlTemplate: c.getOptionalString('tenantClusters.baseUrlTemplate'),
    overrides,
    tenantLabel:
      c.getOptionalString('tenantLabel') ?? 'hospital_tenants_io_tenant',
    sharedNamespaces: c.getOptionalStringArray('shared.namespaces') ?? [
      'postgres-system',
      'kamaji-system',
      'kube-system',
    ],
    includeManagementIdle:
      c.getOptionalBoolean('shared.includeManagementIdle') ?? true,
    sharedFraction,
    refreshMinutes,
    reconcileDays: c.getOptionalNumber('reconcileDays') ?? 3,
    backfillMonths: c.getOptionalNumber('backfillMonths') ?? 2,
    atRiskPercent: c.getOptionalNumber('budgetAtRiskPercent') ?? 90,
    staleAfterMs: 3 * refreshMinutes * 60_000,
  };
}
