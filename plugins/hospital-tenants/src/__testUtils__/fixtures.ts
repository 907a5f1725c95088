import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';

const repoRoot = resolve(__dirname, '../../../..');

/** The complete example `hospitalTenants` configuration (node fixture). */
export function exampleAppConfig(): JsonObject {
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
 * `@visibility frontend` (checked against the real schemas by
 * config.visibility.test.ts).
 */
export function frontendVisibleConfig(): JsonObject {
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

/** A tenant entity as the entity provider emits it. */
export function tenantEntity(slug: string, name = slug): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'hospital-tenants.io/tenant-id': slug },
    },
    spec: { type: 'hospital-tenant', owner: 'group:default/x' },
  };
}
