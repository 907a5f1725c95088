/*
 * Test harness: the cluster simulator, the hospitalTenants configuration of
 * the domain core's fixture, and a mock action context built from the
 * scaffolder-node 1.0 types (the -node-test-utils release lags behind) with a
 * checkpoint that behaves like the scaffolder's: success values are
 * replayed from the state the step started with, failures are recorded and
 * not replayed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigReader } from '@backstage/config';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import {
  ClusterSimulator,
  seedTenants,
  startClusterSimulator,
} from '@prontuario/upstream-simulators';
import {
  clusterGroupOfOwner,
  KubernetesClusterClient,
  ManagementClusterAccess,
  managementApplyOrder,
  parseHospitalTenantsConfigOrThrow,
  planTenantProvisioning,
  TenantProvisioningPlan,
  validateTenantSpec,
} from '@prontuario/plugin-hospital-tenants-node';
import { ProvisioningClusters } from '../clusters';

export const FIXTURE_CONFIG_FILE = require.resolve(
  '@prontuario/plugin-hospital-tenants-node/src/__fixtures__/app-config.hospital-tenants.yaml',
);

/** The domain core's example `hospitalTenants` block. */
export function hospitalTenantsBlock(): any {
  return parseYaml(fs.readFileSync(FIXTURE_CONFIG_FILE, 'utf8'))
    .hospitalTenants;
}

export const FAST_PROVISIONING = {
  readyTimeout: { seconds: 10 },
  entityTimeout: { seconds: 5 },
  pollInterval: { milliseconds: 25 },
  requestTimeout: { seconds: 5 },
};

export function testConfig(extra: { provisioning?: any } = {}) {
  return new ConfigReader({
    hospitalTenants: {
      ...hospitalTenantsBlock(),
      provisioning: { ...FAST_PROVISIONING, ...extra.provisioning },
    },
  });
}

export function clientFrom(kubeconfig: string, requestTimeoutMs = 5000) {
  return KubernetesClusterClient.forTenantCluster(kubeconfig, {
    requestTimeoutMs,
  });
}

/** Cluster access as the simulator's provisioner identity. */
export function simulatorClusters(
  sim: ClusterSimulator,
  requestTimeoutMs = 5000,
): ProvisioningClusters {
  const management = clientFrom(sim.kubeconfigs.provisioner, requestTimeoutMs);
  return {
    management: () => management,
    tenant: (ns, name, opts) => management.tenantCluster(ns, name, opts),
  };
}

/**
 * The provisioner identity's access (what
 * `managementClusterProvisionerServiceRef` provides) backed by test
 * clusters: its client is the management cluster, and its
 * `tenantCluster()` is the test's tenant access.
 */
export function provisionerAccess(
  clusters: ProvisioningClusters,
): ManagementClusterAccess {
  return {
    identity: 'provisioner',
    configured: true,
    client: () =>
      Object.assign(Object.create(clusters.management()), {
        tenantCluster: clusters.tenant,
      }) as KubernetesClusterClient,
  };
}

export async function startSimulator(readyDelayMs = 40) {
  return startClusterSimulator({
    readyDelayMs,
    reconcileLagMs: 5,
    namespaceTerminationMs: 30,
  });
}

/** Counts the requests the simulator receives, by method. */
export function countRequests(sim: ClusterSimulator, only: RegExp = /./) {
  // the simulator applies the first matching rule: add no other fault while counting
  const remove = sim.faults.add({ path: only, latencyMs: 0 });
  const before = sim.faults.hits;
  return {
    total: () => sim.faults.hits - before,
    stop: remove,
  };
}

/** Counts write requests (POST, PUT, PATCH, DELETE) to the simulator. */
export function countWrites(sim: ClusterSimulator) {
  const removes = ['POST', 'PUT', 'PATCH', 'DELETE'].map(method =>
    sim.faults.add({ method, path: /./, latencyMs: 0 }),
  );
  const before = sim.faults.hits;
  return {
    total: () => sim.faults.hits - before,
    stop: () => removes.forEach(remove => remove()),
  };
}

export const GROUPS: Entity[] = [
  {
    // the fictitious hospital of the actions' examples
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'hospital-exemplo',
      namespace: 'default',
      annotations: {
        'hospital-tenants.io/cluster-group': 'hospital:hospital-exemplo',
      },
    },
    spec: { type: 'hospital', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'hospital-sao-joao',
      namespace: 'default',
      annotations: {
        'hospital-tenants.io/cluster-group': 'hospital:hospital-sao-joao',
      },
    },
    spec: { type: 'hospital', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'hospital-santa-maria',
      namespace: 'default',
      annotations: {
        'hospital-tenants.io/cluster-group': 'hospital:hospital-santa-maria',
      },
    },
    spec: { type: 'hospital', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'no-cluster-group', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

/**
 * A catalog that has the groups, and gets a tenant's entity once the
 * action announced the tenant on the events service (what the entity
 * provider does).
 */
export function fakeCatalogAndEvents(options: { ingest?: boolean } = {}) {
  const published: EventParams[] = [];
  const tenants = new Map<string, Entity>();
  const catalogCalls: Array<{ ref: string; principal: string }> = [];
  const catalog = {
    async getEntityByRef(ref: any, opts: any) {
      const s =
        typeof ref === 'string'
          ? ref
          : `${ref.kind}:${ref.namespace}/${ref.name}`;
      catalogCalls.push({
        ref: s,
        principal: opts?.credentials?.principal?.type,
      });
      const group = GROUPS.find(
        g =>
          `group:default/${g.metadata.name}` === s.toLocaleLowerCase('en-US'),
      );
      if (group) return group;
      return tenants.get(s);
    },
  } as unknown as CatalogService;
  const events: EventsService = {
    async publish(params) {
      published.push(params);
      const payload = params.eventPayload as any;
      if (options.ingest !== false && payload?.type === 'tenant.changed') {
        const slug = payload.tenantId;
        tenants.set(`resource:default/${slug}`, {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: { name: slug, namespace: 'default' },
          spec: { type: 'hospital-tenant' },
        });
      }
    },
    async subscribe() {},
  };
  return { catalog, events, published, tenants, catalogCalls };
}

export interface RecordedAudit {
  options: AuditorServiceCreateEventOptions;
  outcome?: 'success' | 'fail';
  meta?: JsonObject;
  error?: Error;
}

export function recordingAuditor() {
  const events: RecordedAudit[] = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const record: RecordedAudit = { options };
      events.push(record);
      return {
        async success(o) {
          record.outcome = 'success';
          record.meta = o?.meta;
        },
        async fail(o) {
          record.outcome = 'fail';
          record.meta = o.meta;
          record.error = o.error;
        },
      };
    },
  };
  return { auditor, events };
}

/** A logger that keeps every line (for the secret scans). */
export function recordingLogger() {
  const lines: string[] = [];
  const make = (fields: object = {}): LoggerService => ({
    error: (m, meta) =>
      void lines.push(
        `error ${m} ${JSON.stringify({ ...fields, ...(meta as any) })}`,
      ),
    warn: (m, meta) =>
      void lines.push(
        `warn ${m} ${JSON.stringify({ ...fields, ...(meta as any) })}`,
      ),
    info: (m, meta) =>
      void lines.push(
        `info ${m} ${JSON.stringify({ ...fields, ...(meta as any) })}`,
      ),
    debug: (m, meta) =>
      void lines.push(
        `debug ${m} ${JSON.stringify({ ...fields, ...(meta as any) })}`,
      ),
    child: f => make({ ...fields, ...f }),
  });
  return { logger: make(), lines };
}

export type CheckpointState = Record<
  string,
  { status: 'success'; value: any } | { status: 'failed'; reason: string }
>;

export function mockActionContext(
  input: JsonObject,
  options: {
    state?: CheckpointState;
    isDryRun?: boolean;
    signal?: AbortSignal;
    taskId?: string;
    user?: string;
  } = {},
) {
  const state: CheckpointState = options.state ?? {};
  const prev = JSON.parse(JSON.stringify(state)) as CheckpointState;
  const outputs: Record<string, unknown> = {};
  const { logger, lines } = recordingLogger();
  const checkpointCalls: string[] = [];
  const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-ws-'));
  const user = options.user ?? 'user:default/ana.platform';
  const ctx: ActionContext<any, any> = {
    logger,
    workspacePath,
    input,
    isDryRun: options.isDryRun,
    signal: options.signal,
    task: { id: options.taskId ?? 'task-1' },
    user: { ref: user },
    templateInfo: { entityRef: 'template:default/new-hospital-tenant' } as any,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-tmp-')),
    getInitiatorCredentials: async () => mockCredentials.user(user),
    async checkpoint({ key, fn }: { key: string; fn: () => any }) {
      checkpointCalls.push(key);
      const p = prev[key];
      if (p && p.status === 'success') return p.value;
      try {
        const value = await fn();
        state[key] = { status: 'success', value: value ?? {} };
        return value;
      } catch (error) {
        state[key] = { status: 'failed', reason: String(error) };
        throw error;
      }
    },
  } as any;
  return { ctx, outputs, lines, state, checkpointCalls, workspacePath };
}

export const allow = () =>
  mockServices.permissions({ result: AuthorizeResult.ALLOW });
export const deny = () =>
  mockServices.permissions({ result: AuthorizeResult.DENY });

export function specInput(overrides: Partial<JsonObject> = {}): JsonObject {
  return {
    displayName: 'Hospital Nova Esperança',
    slug: 'hospital-nova-esperanca',
    region: 'southamerica-east1',
    environment: 'production',
    dailyUsers: 150,
    departments: ['Clínica Geral', 'Emergência'],
    dataStore: 'postgresql-gold',
    monthlyBudgetBrl: 8000,
    ownerGroup: 'group:default/hospital-sao-joao',
    ...overrides,
  } as JsonObject;
}

/** Every secret value the simulator holds (tokens, kubeconfigs, keys), for scans. */
export function secretValues(sim: ClusterSimulator): string[] {
  const values = new Set<string>();
  for (const kc of Object.values(sim.kubeconfigs)) {
    const parsed = parseYaml(kc);
    for (const u of parsed.users ?? []) {
      if (u.user?.token) values.add(u.user.token);
    }
  }
  for (const secret of sim.management.list('', 'secrets')) {
    for (const v of Object.values<string>(secret.data ?? {})) {
      values.add(v);
      const decoded = Buffer.from(v, 'base64').toString('utf8');
      values.add(decoded);
      for (const line of decoded.split('\n')) {
        const m = line.match(
          /(?:client-key-data|client-certificate-data|token):\s*(\S+)/,
        );
        if (m) values.add(m[1]);
      }
    }
  }
  return [...values].filter(v => v.length >= 16);
}

/** Provisions Hospital Santa Maria (owned by its own group) the way the portal does. */
export async function seedSantaMaria(
  sim: ClusterSimulator,
): Promise<TenantProvisioningPlan> {
  const config = parseHospitalTenantsConfigOrThrow(hospitalTenantsBlock());
  const ownerGroup = 'group:default/hospital-santa-maria';
  const spec = validateTenantSpec(
    specInput({
      displayName: 'Hospital Santa Maria',
      slug: 'hospital-santa-maria',
      departments: ['Cardiologia'],
      ownerGroup,
    }),
    config,
  );
  spec.clusterGroup = clusterGroupOfOwner(
    ownerGroup,
    GROUPS.find(g => `group:default/${g.metadata.name}` === ownerGroup),
  );
  const plan = planTenantProvisioning(spec, config);
  await seedTenants(sim, [
    {
      slug: spec.slug,
      management: managementApplyOrder(plan),
      tenant: plan.tenant,
    },
  ]);
  return plan;
}
