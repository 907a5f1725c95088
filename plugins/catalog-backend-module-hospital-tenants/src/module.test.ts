import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  createBackendPlugin,
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { HOSPITAL_TENANTS_EVENT_TOPIC } from '@prontuario/plugin-hospital-tenants-common';
import {
  HOSPITAL_TENANTS_FIELD_MANAGER,
  KubernetesClusterClient,
  ManagementClusterAccess,
  managementClusterReaderServiceRef,
  parseHospitalTenantsConfigOrThrow,
  planTenant,
  pollUntil,
} from '@prontuario/plugin-hospital-tenants-node';
import {
  ClusterSimulator,
  loadReferenceTenants,
  seedTenants,
  startClusterSimulator,
} from '@prontuario/upstream-simulators';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import catalogModuleHospitalTenants from './index';

/**
 * The provider through the real catalog backend, reading the cluster
 * simulator with the reader identity of deploy/rbac.
 */

jest.setTimeout(60_000);

const repoRoot = path.resolve(__dirname, '../../..');
const REFERENCE = [
  'resource:default/hospital-santa-maria',
  'resource:default/hospital-sao-joao',
  'resource:default/real-hospital-portugues',
];

const hospitalTenantsConfig = parseYaml(
  fs.readFileSync(
    path.join(
      repoRoot,
      'plugins/hospital-tenants-node/src/__fixtures__/app-config.hospital-tenants.yaml',
    ),
    'utf8',
  ),
).hospitalTenants;

/** A fourth hospital, rendered by the domain core like the template would. */
function fourthHospital(slug = 'hospital-das-clinicas') {
  return planTenant(
    {
      displayName: 'Hospital das Clínicas',
      slug,
      region: 'southamerica-east1',
      environment: 'production',
      dailyUsers: 320,
      departments: ['Emergência', 'Cardiologia'],
      kubernetesVersion: 'v1.35.7',
      dataStore: 'postgresql-gold',
      monthlyBudgetBrl: 20000,
      ownerGroup: 'group:default/hospital-das-clinicas',
    },
    parseHospitalTenantsConfigOrThrow(hospitalTenantsConfig),
  );
}

const logs: string[] = [];
const recordingLogger = createServiceFactory({
  service: coreServices.logger,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const make = (meta: object): LoggerService => {
      const log = (level: string) => (message: string, extra?: unknown) => {
        logs.push(`${level} ${plugin.getId()} ${message}`);
        void extra;
      };
      return {
        error: log('error'),
        warn: log('warn'),
        info: log('info'),
        debug: log('debug'),
        child: more => make({ ...meta, ...more }),
      };
    };
    return make({});
  },
});

const rootLogs: string[] = [];
const recordingRootLogger = createServiceFactory({
  service: coreServices.rootLogger,
  deps: {},
  factory() {
    const make = (): LoggerService => {
      const log = (level: string) => (message: string) => {
        rootLogs.push(`${level} ${message}`);
      };
      return {
        error: log('error'),
        warn: log('warn'),
        info: log('info'),
        debug: log('debug'),
        child: () => make(),
      };
    };
    return make();
  },
});

let publisher: EventsService | undefined;
/** Stands in for the plugin that announces a tenant (the provisioning action). */
const publisherPlugin = createBackendPlugin({
  pluginId: 'publisher',
  register(reg) {
    reg.registerInit({
      deps: { events: eventsServiceRef },
      async init({ events }) {
        publisher = events;
      },
    });
  },
});

describe('catalog-backend-module-hospital-tenants', () => {
  let sim: ClusterSimulator;
  let outDir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  async function tenantRefs(): Promise<string[]> {
    const res = await request(backend.server)
      .get(
        '/api/catalog/entities/by-query?filter=kind=resource,spec.type=hospital-tenant',
      )
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body.items
      .map((e: any) => `resource:default/${e.metadata.name}`)
      .sort();
  }

  async function until(check: (refs: string[]) => boolean, ms = 20_000) {
    let refs: string[] = [];
    await pollUntil(
      async () => {
        refs = await tenantRefs();
        return check(refs) ? true : undefined;
      },
      // the caller's assertion says what was read
      { timeoutMs: ms, intervalMs: 200, onTimeout: () => true },
    );
    return refs;
  }

  async function startBackend(
    frequencySeconds: number,
    options: { clusterConfig?: boolean; reader?: ManagementClusterAccess } = {},
  ) {
    return startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleHospitalTenants,
        publisherPlugin,
        eventsServiceFactory,
        schedulerServiceFactory,
        recordingLogger,
        recordingRootLogger,
        ...(options.reader
          ? [
              createServiceFactory({
                service: managementClusterReaderServiceRef,
                deps: {},
                factory: () => options.reader!,
              }),
            ]
          : []),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              baseUrl: 'http://localhost:7007',
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['Resource'] }],
              providers: {
                hospitalTenants: {
                  schedule: {
                    frequency: { seconds: frequencySeconds },
                    timeout: { seconds: 30 },
                    initialDelay: { seconds: 0 },
                  },
                },
              },
            },
            ...(options.clusterConfig === false
              ? {}
              : {
                  hospitalTenants: {
                    clusters: {
                      management: {
                        reader: { kubeconfigPath: sim.files!.reader },
                      },
                    },
                  },
                }),
          },
        }),
      ],
    });
  }

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenants-provider-'));
    sim = await startClusterSimulator({ readyDelayMs: 20, outDir });
    await seedTenants(sim, await loadReferenceTenants(repoRoot));
  });

  afterAll(async () => {
    await sim?.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await backend?.stop();
    sim.faults.clear();
    logs.length = 0;
    rootLogs.length = 0;
  });

  it('starts without cluster configuration, with one warning, and ingests nothing', async () => {
    backend = await startBackend(1, { clusterConfig: false });
    expect(
      rootLogs.filter(l => l.startsWith('warn ') && /management/.test(l)),
    ).toEqual([
      expect.stringMatching(
        /^warn hospitalTenants\.clusters\.management\.reader is not configured/,
      ),
    ]);
    // the catalog is up and has no tenants
    expect(await tenantRefs()).toEqual([]);
  });

  it('reads the management cluster through managementClusterReaderServiceRef', async () => {
    const client = KubernetesClusterClient.forTenantCluster(
      sim.kubeconfigs.reader,
    );
    backend = await startBackend(1, {
      clusterConfig: false,
      reader: { identity: 'reader', configured: true, client: () => client },
    });
    expect(await until(refs => refs.length === REFERENCE.length)).toEqual(
      REFERENCE,
    );
    expect(rootLogs.filter(l => l.startsWith('warn '))).toEqual([]);
  });

  it('emits an entity for every labelled TenantControlPlane and none for others, and drops deleted tenants', async () => {
    // A control plane the portal did not make: no tenant label.
    const stranger = structuredClone(
      fourthHospital('not-a-tenant').management.find(
        o => o.kind === 'TenantControlPlane',
      )!,
    ) as any;
    delete stranger.metadata.labels['hospital-tenants.io/tenant'];
    stranger.metadata.namespace = 'default';
    sim.management.apply(stranger, { manager: 'someone-by-hand' });

    backend = await startBackend(1);
    expect(await until(refs => refs.length >= 3)).toEqual(REFERENCE);

    const entity = await request(backend.server)
      .get('/api/catalog/entities/by-name/resource/default/hospital-sao-joao')
      .set('Authorization', mockCredentials.user.header());
    expect(entity.body.spec).toEqual({
      type: 'hospital-tenant',
      owner: 'group:default/hospital-sao-joao',
      lifecycle: 'production',
    });
    // Its location names no cluster.
    expect(
      entity.body.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe('hospital-tenants:hospital-sao-joao');
    expect(JSON.stringify(entity.body)).not.toContain('127.0.0.1');
    expect(entity.body.metadata.labels['hospital-tenants.io/status']).toBe(
      'ready',
    );

    // Deleted on the cluster: gone from the catalog on a later run.
    const tcp = sim.management.get(
      'kamaji.clastix.io',
      'tenantcontrolplanes',
      'tenant-hospital-sao-joao',
      'hospital-sao-joao',
    )!;
    const saved = structuredClone(tcp);
    sim.management.delete(
      'kamaji.clastix.io',
      'tenantcontrolplanes',
      'tenant-hospital-sao-joao',
      'hospital-sao-joao',
    );
    expect(
      await until(refs => !refs.includes('resource:default/hospital-sao-joao')),
    ).toEqual([
      'resource:default/hospital-santa-maria',
      'resource:default/real-hospital-portugues',
    ]);

    // Put it back for the other tests.
    delete saved.metadata.resourceVersion;
    delete saved.metadata.uid;
    delete saved.metadata.managedFields;
    delete saved.metadata.creationTimestamp;
    delete saved.metadata.generation;
    delete saved.status;
    sim.management.apply(saved, { manager: HOSPITAL_TENANTS_FIELD_MANAGER });
    expect(await until(refs => refs.length === 3)).toEqual(REFERENCE);
  });

  it('ingests a new tenant on an event, without waiting for the schedule', async () => {
    backend = await startBackend(3600);
    expect(await until(refs => refs.length >= 3)).toEqual(REFERENCE);

    const plan = fourthHospital();
    for (const obj of plan.management) {
      sim.management.apply(obj as any, {
        manager: HOSPITAL_TENANTS_FIELD_MANAGER,
      });
    }
    const started = Date.now();
    await publisher!.publish({
      topic: HOSPITAL_TENANTS_EVENT_TOPIC,
      eventPayload: {
        type: 'tenant.changed',
        tenantId: 'hospital-das-clinicas',
      },
    });
    const withFourth = await until(r => r.length === 4, 10_000);
    expect(withFourth).toContain('resource:default/hospital-das-clinicas');
    // far sooner than the hourly schedule
    expect(Date.now() - started).toBeLessThan(10_000);

    // Deleted and announced: removed at once as well.
    sim.management.delete(
      'kamaji.clastix.io',
      'tenantcontrolplanes',
      'tenant-hospital-das-clinicas',
      'hospital-das-clinicas',
    );
    await publisher!.publish({
      topic: HOSPITAL_TENANTS_EVENT_TOPIC,
      eventPayload: {
        type: 'tenant.changed',
        tenantId: 'hospital-das-clinicas',
      },
    });
    expect(await until(r => r.length === 3, 10_000)).toEqual(REFERENCE);
  });

  it('logs and skips a TenantControlPlane with malformed facts, and ignores malformed events', async () => {
    const plan = fourthHospital('hospital-malformado');
    for (const obj of plan.management) {
      const copy = structuredClone(obj) as any;
      if (copy.kind === 'TenantControlPlane') {
        copy.metadata.annotations['hospital-tenants.io/daily-users'] = '-5';
      }
      sim.management.apply(copy, { manager: HOSPITAL_TENANTS_FIELD_MANAGER });
    }
    try {
      backend = await startBackend(1);
      expect(await until(refs => refs.length >= 3)).toEqual(REFERENCE);
      await until(
        () => logs.some(l => l.includes('hospital-malformado')),
        5_000,
      );
      expect(logs).toContainEqual(
        expect.stringMatching(
          /^warn catalog Skipped a tenant: .*tenant-hospital-malformado\/hospital-malformado: annotation hospital-tenants.io\/daily-users must be a positive whole number/,
        ),
      );

      const skips = () =>
        logs.filter(
          l =>
            l.includes('Skipped a tenant') && l.includes('hospital-malformado'),
        ).length;
      const skipsBefore = skips();
      await publisher!.publish({
        topic: HOSPITAL_TENANTS_EVENT_TOPIC,
        eventPayload: { type: 'tenant.changed', tenantId: '../../etc' },
      });
      expect(logs).toContainEqual(
        expect.stringMatching(/^warn catalog Ignored a malformed event/),
      );
      // still serving the good ones on the next scheduled run (each run
      // logs the malformed tenant again)
      await until(() => skips() > skipsBefore, 10_000);
      expect(skips()).toBeGreaterThan(skipsBefore);
      expect(await tenantRefs()).toEqual(REFERENCE);
    } finally {
      sim.management.delete(
        'kamaji.clastix.io',
        'tenantcontrolplanes',
        'tenant-hospital-malformado',
        'hospital-malformado',
      );
    }
  });

  it("reports the reader identity's 403 on a tenant without failing, and keeps the catalog when listing fails", async () => {
    backend = await startBackend(1);
    expect(await until(refs => refs.length >= 3)).toEqual(REFERENCE);

    // The reader may not read one tenant's control plane.
    sim.faults.add({
      cluster: 'management',
      method: 'GET',
      path: '/apis/kamaji.clastix.io/v1alpha1/namespaces/tenant-hospital-sao-joao/tenantcontrolplanes/hospital-sao-joao',
      status: 403,
    });
    await publisher!.publish({
      topic: HOSPITAL_TENANTS_EVENT_TOPIC,
      eventPayload: { type: 'tenant.changed', tenantId: 'hospital-sao-joao' },
    });
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^error catalog Could not read the TenantControlPlane of tenant hospital-sao-joao: the reader identity may not read it/,
      ),
    );
    expect(await tenantRefs()).toEqual(REFERENCE);

    // The whole list fails: the entities stay, the failure is logged.
    sim.faults.add({
      cluster: 'management',
      method: 'GET',
      path: '/apis/kamaji.clastix.io/v1alpha1/tenantcontrolplanes',
      status: 503,
    });
    await until(
      () => logs.some(l => l.includes('Could not list TenantControlPlanes')),
      5_000,
    );
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^error catalog Could not list TenantControlPlanes .*keeping the current tenant entities/,
      ),
    );
    expect(await tenantRefs()).toEqual(REFERENCE);
  });
});
