import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  createServiceFactory,
  coreServices,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { KubeConfig } from '@kubernetes/client-node';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createHospitalTenantConditionalDecision,
  hospitalTenantConditions,
  KubernetesClusterClient,
  managementClusterReaderServiceRef,
  pollUntil,
} from '@prontuario/plugin-hospital-tenants-node';
import {
  tenantCostReadPermission,
  tenantReadPermission,
  tenantSlaReadPermission,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  ClusterSimulator,
  loadReferenceTenants,
  seedTenants,
  startClusterSimulator,
} from '@prontuario/upstream-simulators';

export const repoRoot = path.resolve(__dirname, '../../../..');

export const REFERENCE_TENANTS = [
  'hospital-santa-maria',
  'hospital-sao-joao',
  'real-hospital-portugues',
];

/** The Group entities of examples/org.yaml (the owner groups, with their cluster-group annotations). */
export function exampleGroups(): Entity[] {
  const text = fs.readFileSync(
    path.join(repoRoot, 'examples', 'org.yaml'),
    'utf8',
  );
  return parseAllDocuments(text)
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'Group');
}

/**
 * The platform part of the portal's `hospitalTenants` configuration
 * (app-config.yaml: regions and their OIDC, DataStores, network), the one
 * the reference tenants were planned with; without the blocks that start
 * background work (cost, SLA) or name local files (clusters).
 */
export function referencePlatformConfig(): Record<string, any> {
  const block = parseYaml(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  ).hospitalTenants;
  const platform = { ...block };
  for (const key of ['cost', 'sla', 'clusters', 'api', 'permissions']) {
    delete platform[key];
  }
  return platform;
}

/** A simulator with the three reference tenants provisioned and Ready. */
export async function startSeededSimulator(): Promise<ClusterSimulator> {
  const sim = await startClusterSimulator({ port: 0, readyDelayMs: 100 });
  await seedTenants(sim, await loadReferenceTenants(repoRoot));
  return sim;
}

/** The tenant entity of a slug as the entity provider emits it (the fields the API reads). */
export function tenantEntity(
  slug: string,
  owner = `group:default/${slug}`,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: slug,
      namespace: 'default',
      annotations: { 'hospital-tenants.io/tenant-id': slug },
    },
    spec: { type: 'hospital-tenant', owner, lifecycle: 'production' },
  };
}

/** The reader identity on the simulator, through the service ref every plugin uses. */
export function readerOf(sim: ClusterSimulator, requestTimeoutMs = 5000) {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigs.reader);
  const client = new KubernetesClusterClient(kc, { requestTimeoutMs });
  return createServiceFactory({
    service: managementClusterReaderServiceRef,
    deps: {},
    factory: () => ({
      identity: 'reader' as const,
      configured: true,
      client: () => client,
    }),
  });
}

/**
 * A permissions service with the portal policy's three shapes, decided by
 * the caller's user ref: `user:default/platform` ALLOW, `user:default/finance`
 * cost only, anyone else conditional on owning `group:default/<their name
 * after "owner-">`. Counts its calls.
 */
export function fakePermissions() {
  const calls = { count: 0 };
  const decide = (credentials: BackstageCredentials): PolicyDecision[] => {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    const perms = [
      tenantReadPermission,
      tenantCostReadPermission,
      tenantSlaReadPermission,
    ];
    if (user === 'user:default/platform') {
      return perms.map(() => ({ result: AuthorizeResult.ALLOW }));
    }
    if (user === 'user:default/finance') {
      return perms.map(p => ({
        result:
          p === tenantCostReadPermission
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    }
    const group = user?.replace(/^user:default\/owner-/, 'group:default/');
    return perms.map(p =>
      createHospitalTenantConditionalDecision(
        p as any,
        hospitalTenantConditions.isTenantOwner({ claims: [user!, group!] }),
      ),
    );
  };
  const factory = createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      async authorize() {
        throw new Error('the tenant API must not call authorize per request');
      },
      async authorizeConditional(
        requests: unknown[],
        options: { credentials: BackstageCredentials },
      ) {
        calls.count++;
        expect(requests).toHaveLength(3);
        return decide(options.credentials) as any;
      },
    }),
  });
  return { factory, calls };
}

/** Polls `read` until `done` holds (or 20 s pass, then returns the last value). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  let last: { value: T } | undefined;
  const result = await pollUntil(
    async () => {
      last = { value: await read() };
      // wrapped: the awaited value itself may be undefined
      return done(last.value) ? last : undefined;
    },
    { timeoutMs, intervalMs: 50, onTimeout: () => last! },
  );
  return result.value;
}
