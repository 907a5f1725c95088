import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const repoRoot = resolve(__dirname, '../../../../..');

/** The complete example `hospitalTenants` configuration (the -node fixture). */
export function exampleAppConfig(): Record<string, any> {
  return parse(
    readFileSync(
      resolve(
        repoRoot,
        'plugins/hospital-tenants-node/src/__fixtures__/app-config.hospital-tenants.yaml',
      ),
      'utf8',
    ),
  );
}

/**
 * What the browser sees of the example configuration: the keys marked
 * `@visibility frontend` (as the plugin's own fixture has them).
 */
export function frontendVisibleConfig(): Record<string, any> {
  const ht = exampleAppConfig().hospitalTenants as any;
  return {
    hospitalTenants: {
      kubernetesVersions: ht.kubernetesVersions,
      dataStores: Object.fromEntries(
        Object.entries(ht.dataStores).map(([name, ds]: [string, any]) => [
          name,
          { driver: ds.driver },
        ]),
      ),
      regions: Object.fromEntries(
        Object.entries(ht.regions).map(([name, region]: [string, any]) => [
          name,
          {
            ...(region.displayName ? { displayName: region.displayName } : {}),
            environments: Object.fromEntries(
              Object.entries(region.environments).map(
                ([env, e]: [string, any]) => [
                  env,
                  {
                    dataStores: e.dataStores,
                    ...(e.pricing ? { pricing: e.pricing } : {}),
                  },
                ],
              ),
            ),
          },
        ]),
      ),
      pricing: ht.pricing,
      approvedExternalApis: {
        defaultCidrs: ht.approvedExternalApis.defaultCidrs,
      },
    },
  };
}

/** The three reference tenant specs from examples/tenants. */
export const REFERENCE_TENANTS = [
  'hospital-sao-joao',
  'real-hospital-portugues',
  'hospital-santa-maria',
] as const;

export function referenceSpec(slug: (typeof REFERENCE_TENANTS)[number]) {
  return parse(
    readFileSync(resolve(repoRoot, `examples/tenants/${slug}.yaml`), 'utf8'),
  );
}
