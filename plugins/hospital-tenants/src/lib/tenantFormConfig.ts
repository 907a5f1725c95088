import type { ConfigApi } from '@backstage/frontend-plugin-api';
import {
  DataStoreDriver,
  TenantPricing,
  tenantPricingSchema,
} from '@prontuario/plugin-hospital-tenants-common';

/**
 * The part of the `hospitalTenants` configuration the browser may read (the
 * keys marked `@visibility frontend`): enough to offer regions, environments
 * and Kubernetes versions, and to size and price a tenant, and nothing about
 * clusters, identities or networks.
 *
 * @public
 */
export interface TenantFormConfig {
  kubernetesVersions: { supported: string[]; default?: string };
  regions: Record<
    string,
    {
      displayName?: string;
      environments: Record<
        string,
        { dataStores: string[]; pricing?: TenantPricing }
      >;
    }
  >;
  dataStores: Record<string, { driver: DataStoreDriver }>;
  pricing: TenantPricing;
  approvedExternalApis: { defaultCidrs: string[] };
}

const DRIVERS: readonly DataStoreDriver[] = [
  'etcd',
  'MySQL',
  'PostgreSQL',
  'NATS',
];

function readPricing(config: ConfigApi, path: string): TenantPricing {
  const result = tenantPricingSchema.safeParse(config.get(path));
  if (!result.success) {
    throw new Error(
      `${path}: ${result.error.issues
        .map(i => `${i.path.join('.')} ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/**
 * Reads the frontend-visible `hospitalTenants` configuration. Returns
 * undefined when the block is missing (the form then explains that the
 * portal is not configured); throws with the configuration path when a
 * visible key is malformed.
 *
 * @public
 */
export function readTenantFormConfig(
  configApi: ConfigApi,
): TenantFormConfig | undefined {
  const root = configApi.getOptionalConfig('hospitalTenants');
  if (!root) {
    return undefined;
  }
  const regions: TenantFormConfig['regions'] = {};
  const regionsConfig = root.getOptionalConfig('regions');
  for (const region of regionsConfig?.keys() ?? []) {
    const regionConfig = regionsConfig!.getConfig(region);
    const environments: TenantFormConfig['regions'][string]['environments'] =
      {};
    const envsConfig = regionConfig.getOptionalConfig('environments');
    for (const env of envsConfig?.keys() ?? []) {
      const envConfig = envsConfig!.getConfig(env);
      environments[env] = {
        dataStores: envConfig.getOptionalStringArray('dataStores') ?? [],
        ...(envConfig.has('pricing')
          ? {
              pricing: readPricing(
                configApi,
                `hospitalTenants.regions.${region}.environments.${env}.pricing`,
              ),
            }
          : {}),
      };
    }
    regions[region] = {
      displayName: regionConfig.getOptionalString('displayName'),
      environments,
    };
  }

  const dataStores: TenantFormConfig['dataStores'] = {};
  const dataStoresConfig = root.getOptionalConfig('dataStores');
  for (const name of dataStoresConfig?.keys() ?? []) {
    const driver = dataStoresConfig!.getString(`${name}.driver`);
    if (!DRIVERS.includes(driver as DataStoreDriver)) {
      throw new Error(
        `hospitalTenants.dataStores.${name}.driver: must be one of ${DRIVERS.join(
          ', ',
        )}`,
      );
    }
    dataStores[name] = { driver: driver as DataStoreDriver };
  }

  const defaultVersion = root.getOptionalString('kubernetesVersions.default');
  return {
    kubernetesVersions: {
      supported:
        root.getOptionalStringArray('kubernetesVersions.supported') ?? [],
      ...(defaultVersion ? { default: defaultVersion } : {}),
    },
    regions,
    dataStores,
    pricing: readPricing(configApi, 'hospitalTenants.pricing'),
    approvedExternalApis: {
      defaultCidrs:
        root.getOptionalStringArray('approvedExternalApis.defaultCidrs') ?? [],
    },
  };
}

/**
 * The Kubernetes version a tenant gets when the form names none: the same
 * rule as `parseTenantSpec` (the configured default, else the newest
 * supported).
 *
 * @public
 */
export function defaultKubernetesVersion(
  config: TenantFormConfig,
): string | undefined {
  const { supported } = config.kubernetesVersions;
  return config.kubernetesVersions.default ?? supported[supported.length - 1];
}
