/*
 * hospital:tenant:provision through the real scaffolder backend (task
 * recovery on, SQLite files shared by two backends in a row) and the real
 * catalog, against the cluster simulator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { parse as parseYaml } from 'yaml';
import {
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
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ClusterSimulator } from '@prontuario/upstream-simulators';
import { TENANT_LABEL } from '@prontuario/plugin-hospital-tenants-common';
import catalogModuleHospitalTenants from '@prontuario/plugin-catalog-backend-module-hospital-tenants';
import scaffolderModule from './index';
import {
  managementClusterProvisionerServiceRef,
  pollUntil,
} from '@prontuario/plugin-hospital-tenants-node';
import { ProvisioningClusters } from './clusters';
import { CREATED_BY_TASK_ANNOTATION } from './provision/plan';
import {
  FAST_PROVISIONING,
  hospitalTenantsBlock,
  provisionerAccess,
  secretValues,
  seedSantaMaria,
  simulatorClusters,
  specInput,
  startSimulator,
} from './__testUtils__/harness';

jest.setTimeout(240_000);

const PLATFORM_USER = 'user:default/ana.platform';
const HOSPITAL_USER = 'user:default/sofia.santamaria';
const TEMPLATE = 'template:default/new-hospital-tenant-test';

type Line = { level: string; message: string; meta: string };

function capturingRootLogger(lines: Line[]) {
  const make = (fields: object): LoggerService & { child(f: object): any } => {
    const log = (level: string) => (message: string, meta?: unknown) => {
      lines.push({
        level,
        message,
        meta: JSON.stringify({ ...fields, ...(meta as object) }, (_k, v) =>
          v instanceof Error ? `${v.name}: ${v.message}` : v,
        ),
      });
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: (f: object) => make({ ...fields, ...f }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}) as any,
  });
}

/** The portal's rule for this permission: platform engineers only. */
function permissionsFactory(provisionChecks: string[]) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () =>
      ({
        async authorize(requests: any[], options: any) {
          const user = options?.credentials?.principal?.userEntityRef;
          return requests.map(r => {
            if (r.permission.name === 'hospital-tenants.tenant.provision') {
              provisionChecks.push(user);
              return {
                result:
                  user === PLATFORM_USER
                    ? AuthorizeResult.ALLOW
                    : AuthorizeResult.DENY,
              };
            }
            return { result: AuthorizeResult.ALLOW };
          });
        },
        async authorizeConditional(requests: any[]) {
          return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
        },
      } as any),
  });
}

/**
 * The database service of a backend that can "die": after `kill()` its
 * scaffolder writes nothing more (its task heartbeats fail and stop, as if
 * the process had gone; a stopped test backend keeps them beating).
 */
function crashableDatabase() {
  const clients: Array<{ client: { runner(builder: any): unknown } }> = [];
  const factory = createServiceFactory({
    service: coreServices.database,
    deps: {
      config: coreServices.rootConfig,
      plugin: coreServices.pluginMetadata,
      lifecycle: coreServices.lifecycle,
      logger: coreServices.logger,
    },
    createRootContext: ({ config }) => DatabaseManager.fromConfig(config),
    factory({ plugin, lifecycle, logger }, manager) {
      const db = manager.forPlugin(plugin.getId(), { lifecycle, logger });
      return {
        ...db,
        async getClient() {
          const client = await db.getClient();
          if (plugin.getId() === 'scaffolder') clients.push(client as any);
          return client;
        },
      };
    },
  });
  return {
    factory,
    kill: () => {
      for (const c of clients) {
        c.client.runner = (builder: any) => ({
          async run() {
            if (JSON.stringify(builder.toSQL()).includes('last_heartbeat_at')) {
              throw new Error('this backend is gone');
            }
            return [];
          },
        });
      }
    },
  };
}

let sim: ClusterSimulator;
let dir: string;
/** SQLite files in a folder, so that two backends in a row share them. */
let databaseConfig: object;
const lines: Line[] = [];
const provisionChecks: string[] = [];

async function startPortal(
  overrides: {
    clusters?: ProvisioningClusters;
    events?: any;
    database?: ReturnType<typeof crashableDatabase>['factory'];
  } = {},
) {
  const fixture = (f: string) => path.join(__dirname, '__fixtures__', f);
  return startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleTemplateKind,
      catalogModuleHospitalTenants,
      scaffolderPlugin,
      scaffolderModule,
      permissionsFactory(provisionChecks),
      capturingRootLogger(lines),
      ...(overrides.clusters
        ? [
            createServiceFactory({
              service: managementClusterProvisionerServiceRef,
              deps: {},
              factory: () => provisionerAccess(overrides.clusters!),
            }),
          ]
        : []),
      ...(overrides.database ? [overrides.database] : []),
      overrides.events
        ? createServiceFactory({
            service: eventsServiceRef,
            deps: {},
            factory: () => overrides.events,
          })
        : eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: databaseConfig,
          },
          events: { useEventBus: 'never' },
          scaffolder: {
            taskRecovery: { enabled: true, staleTimeout: { seconds: 2 } },
          },
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [{ allow: ['Group', 'Template', 'Resource', 'Location'] }],
            locations: [
              { type: 'file', target: fixture('org.yaml') },
              { type: 'file', target: fixture('template.yaml') },
            ],
          },
          hospitalTenants: {
            ...hospitalTenantsBlock(),
            clusters: {
              management: {
                provisioner: {
                  kubeconfigPath: path.join(dir, 'provisioner.kubeconfig'),
                },
                reader: { kubeconfigPath: path.join(dir, 'reader.kubeconfig') },
              },
            },
            provisioning: {
              ...FAST_PROVISIONING,
              readyTimeout: { seconds: 3 },
              entityTimeout: { seconds: 30 },
            },
          },
        },
      }),
    ],
  });
}

type Portal = Awaited<ReturnType<typeof startPortal>>;
let portal: Portal | undefined;
type Server = Portal['server'];

async function until<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  let last: T | undefined;
  const { value } = await pollUntil(
    async () => {
      last = await read();
      // wrapped: the awaited value itself may be undefined
      return done(last) ? { value: last } : undefined;
    },
    {
      timeoutMs,
      intervalMs: 100,
      onTimeout: () => {
        // the backend's last log lines say why
        const log = lines
          .filter(l => l.level !== 'debug')
          .slice(-40)
          .map(l => `${l.level} ${l.message} ${l.meta.slice(0, 300)}`)
          .join('\n');
        throw new Error(
          `timed out; last: ${String(JSON.stringify(last)).slice(
            0,
            300,
          )}\nbackend log:\n${log}`,
        );
      },
    },
  );
  return value;
}

async function templateReady(server: Server) {
  await until(
    () =>
      request(server)
        .get(
          '/api/catalog/entities/by-name/template/default/new-hospital-tenant-test',
        )
        .then(r => r.status),
    s => s === 200,
  );
  await until(
    () =>
      request(server)
        .get('/api/catalog/entities/by-name/group/default/hospital-sao-joao')
        .then(r => r.status),
    s => s === 200,
  );
}

async function createTask(
  server: Server,
  values: object,
  user = PLATFORM_USER,
) {
  const res = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', mockCredentials.user.header(user))
    .send({ templateRef: TEMPLATE, values });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function taskDone(server: Server, id: string) {
  return until(
    () =>
      request(server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', mockCredentials.user.header(PLATFORM_USER))
        .then(r => r.body),
    t => ['completed', 'failed', 'cancelled'].includes(t.status),
  );
}

async function taskEvents(server: Server, id: string) {
  const res = await request(server)
    .get(`/api/scaffolder/v2/tasks/${id}/events`)
    .set('Authorization', mockCredentials.user.header(PLATFORM_USER));
  return res.body as Array<{ type: string; body: any }>;
}

const get = (
  kind: 'Namespace' | 'TenantControlPlane',
  name: string,
  ns?: string,
) =>
  (kind === 'Namespace'
    ? sim.management.get('', 'namespaces', undefined, name)
    : sim.management.get(
        'kamaji.clastix.io',
        'tenantcontrolplanes',
        ns,
        name,
      )) as any;

function countWrites() {
  const removers = ['PATCH', 'POST', 'PUT', 'DELETE'].map(method =>
    sim.faults.add({ method, path: /./, latencyMs: 0 }),
  );
  const before = sim.faults.hits;
  return {
    total: () => sim.faults.hits - before,
    stop: () => removers.forEach(r => r()),
  };
}

beforeAll(async () => {
  sim = await startSimulator(40);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-portal-'));
  databaseConfig = {
    client: 'better-sqlite3',
    connection: { directory: dir },
  };
  fs.writeFileSync(
    path.join(dir, 'provisioner.kubeconfig'),
    sim.kubeconfigs.provisioner,
    { mode: 0o600 },
  );
  fs.writeFileSync(
    path.join(dir, 'reader.kubeconfig'),
    sim.kubeconfigs.reader,
    { mode: 0o600 },
  );
  await seedSantaMaria(sim);
});

afterAll(async () => {
  await portal?.stop();
  await sim?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(() => sim.faults.clear());

const CRASHES = {
  'hospital-crash-ns': 'after the Namespace write, before its checkpoint',
  'hospital-crash-tcp':
    'after the TenantControlPlane write, before its checkpoint',
  'hospital-crash-wait': 'while waiting for the control plane',
  'hospital-crash-tenant': 'in the middle of the tenant layer',
  'hospital-crash-entity': 'while announcing the tenant',
} as const;

/** Cluster access whose backend "dies" at a chosen point: the run never continues. */
function crashingClusters(crashed: Set<string>): ProvisioningClusters {
  const real = simulatorClusters(sim);
  const die = (slug: string) => {
    crashed.add(slug);
    return new Promise<never>(() => {});
  };
  const m = real.management();
  const management = Object.assign(Object.create(m), {
    async apply(o: any, opts: any) {
      const r = await m.apply(o, opts);
      const slug = o.metadata.labels?.[TENANT_LABEL];
      if (slug?.startsWith('hospital-crash-ns') && o.kind === 'Namespace')
        return die(slug);
      if (
        slug?.startsWith('hospital-crash-tcp') &&
        o.kind === 'TenantControlPlane'
      )
        return die(slug);
      return r;
    },
    async waitForTenantControlPlaneReady(ns: string, name: string, opts: any) {
      if (name.startsWith('hospital-crash-wait')) return die(name);
      return m.waitForTenantControlPlaneReady(ns, name, opts);
    },
  });
  let tenantWrites = 0;
  return {
    management: () => management,
    async tenant(ns, name, opts) {
      const t = await real.tenant(ns, name, opts);
      if (!name.startsWith('hospital-crash-tenant')) return t;
      return Object.assign(Object.create(t), {
        async apply(o: any, o2: any) {
          const r = await t.apply(o, o2);
          if (++tenantWrites === 5) return die(name);
          return r;
        },
      });
    },
  };
}

/**
 * Five tasks, each stopped by its backend's death in the middle of one
 * step, resumed by a second backend on the same database. Returns the
 * second backend.
 */
async function crashAndResume(
  suffix: string,
): Promise<{ second: Portal; resumed: string[] }> {
  const crashed = new Set<string>();
  const database = crashableDatabase();
  const first = await startPortal({
    database: database.factory,
    clusters: crashingClusters(crashed),
    events: {
      async publish(p: any) {
        if (p.eventPayload?.tenantId === `hospital-crash-entity${suffix}`) {
          crashed.add(p.eventPayload.tenantId);
          await new Promise(() => {});
        }
      },
      async subscribe() {},
    },
  });
  await templateReady(first.server);
  const slugs = Object.keys(CRASHES).map(kind => `${kind}${suffix}`);
  const ids: Record<string, string> = {};
  for (const slug of slugs) {
    ids[slug] = await createTask(first.server, specInput({ slug }));
  }
  // the entity crash comes after the whole flow (both layers, the CA, the
  // grant's revocation): sized for a loaded 2-core machine
  await until(
    async () => crashed.size,
    n => n === Object.keys(CRASHES).length,
    90_000,
  );
  const checksBefore = provisionChecks.length;
  await first.stop();
  database.kill();

  // a second backend on the same database recovers the stale tasks
  const second = await startPortal();
  for (const slug of slugs) {
    const task = await taskDone(second.server, ids[slug]);
    const events = await taskEvents(second.server, ids[slug]);
    expect({
      slug,
      status: task.status,
      error: events.find(e => e.type === 'completion')?.body.error,
    }).toEqual({ slug, status: 'completed', error: undefined });
    expect(events.some(e => e.type === 'recovered')).toBe(true);
    const ns = get('Namespace', `tenant-${slug}`);
    // created by this task, even when the crash struck before the checkpoint
    expect(ns.metadata.annotations[CREATED_BY_TASK_ANNOTATION]).toBe(ids[slug]);
    const tcps = sim.management
      .list('kamaji.clastix.io', 'tenantcontrolplanes')
      .filter(t => t.metadata.labels?.[TENANT_LABEL] === slug);
    expect(tcps).toHaveLength(1);
    expect(tcps[0].metadata.generation).toBe(1);
    expect(tcps[0].metadata.annotations[CREATED_BY_TASK_ANNOTATION]).toBe(
      ids[slug],
    );
    const entity = await request(second.server).get(
      `/api/catalog/entities/by-name/resource/default/${slug}`,
    );
    expect(entity.status).toBe(200);
    // the resumed run ended past the one-way gate: no grant left, labelled
    for (const plural of ['roles', 'rolebindings']) {
      expect(
        sim.management.get(
          'rbac.authorization.k8s.io',
          plural,
          `tenant-${slug}`,
          'hospital-tenants-provisioner-kubeconfig',
        ),
      ).toBeUndefined();
    }
    expect(ns.metadata.labels['hospital-tenants.io/provisioned']).toBe('true');
  }
  // the resumed tasks did not need the users' tokens again
  expect(provisionChecks.length).toBe(checksBefore);
  return { second, resumed: slugs };
}

describe('hospital:tenant:provision through the real scaffolder backend', () => {
  it('resumes a task on a second backend after the first stopped in the middle of each step, with no duplicates', async () => {
    const { second, resumed } = await crashAndResume('');
    portal = second;
    expect(resumed).toHaveLength(Object.keys(CRASHES).length);
  });

  it('provisions a tenant end to end: both layers, the entity, an audit event, no secret anywhere', async () => {
    const server = portal!.server;
    lines.length = 0;
    const id = await createTask(
      server,
      specInput({ slug: 'hospital-completo' }),
    );
    const task = await taskDone(server, id);
    expect(task.status).toBe('completed');
    const events = await taskEvents(server, id);
    const completion = events.find(e => e.type === 'completion');
    expect(completion?.body.output).toEqual({
      tenantId: 'hospital-completo',
      managementNamespace: 'tenant-hospital-completo',
      controlPlaneEndpoint: expect.stringMatching(/:\d+$/),
      adminKubeconfigSecretName: 'hospital-completo-admin-kubeconfig',
      entityRef: 'resource:default/hospital-completo',
    });
    expect(
      get('TenantControlPlane', 'hospital-completo', 'tenant-hospital-completo')
        .status.kubernetesResources.version.status,
    ).toBe('Ready');
    const tenant = sim.tenant('tenant-hospital-completo', 'hospital-completo')!;
    expect(
      tenant.get('', 'namespaces', undefined, 'clinica-geral'),
    ).toBeDefined();
    // ingested at once by the catalog entity provider, from the control plane
    const entity = await request(server).get(
      '/api/catalog/entities/by-name/resource/default/hospital-completo',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.spec).toMatchObject({
      type: 'hospital-tenant',
      owner: 'group:default/hospital-sao-joao',
    });
    expect(
      entity.body.metadata.annotations['hospital-tenants.io/tenant-id'],
    ).toBe('hospital-completo');

    const audit = lines.filter(
      l =>
        l.message.includes('tenant-provision') ||
        l.meta.includes('"eventId":"tenant-provision"'),
    );
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every(l => l.level === 'info')).toBe(true);
    expect(audit.map(l => l.meta).join('\n')).toContain('"outcome":"success"');

    const secrets = [
      ...secretValues(sim),
      mockCredentials.user.token(PLATFORM_USER),
    ];
    const sinks = JSON.stringify({ events, task, lines });
    for (const s of secrets) expect(sinks).not.toContain(s);
  });

  it('dry run makes no cluster call', async () => {
    const server = portal!.server;
    const counter = sim.faults.add({ path: /./, latencyMs: 0 });
    const before = sim.faults.hits;
    const template = parseYaml(
      fs.readFileSync(
        path.join(__dirname, '__fixtures__', 'template.yaml'),
        'utf8',
      ),
    );
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header(PLATFORM_USER))
      .send({
        template,
        values: specInput({ slug: 'hospital-ensaio' }),
        directoryContents: [],
      });
    counter();
    expect(res.status).toBe(200);
    expect(sim.faults.hits - before).toBe(0);
    expect(res.body.output).toMatchObject({
      tenantId: 'hospital-ensaio',
      entityRef: 'resource:default/hospital-ensaio',
      controlPlaneEndpoint: expect.stringContaining('dry-run'),
    });
  });

  it('a failing dry run shows no stack trace with server paths', async () => {
    const template = parseYaml(
      fs.readFileSync(
        path.join(__dirname, '__fixtures__', 'template.yaml'),
        'utf8',
      ),
    );
    const res = await request(portal!.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header(PLATFORM_USER))
      .send({
        template,
        values: specInput({ slug: 'kamaji' }),
        directoryContents: [],
      });
    const body = JSON.stringify(res.body);
    expect(body).toContain('slug: \\"kamaji\\" is reserved');
    expect(body).not.toMatch(/\\n\s+at |\.ts:\d+|node_modules|\/work\//);
  });

  it('refuses a user without the permission before any write', async () => {
    const server = portal!.server;
    const writes = countWrites();
    const id = await createTask(
      server,
      specInput({ slug: 'hospital-negado' }),
      HOSPITAL_USER,
    );
    const task = await taskDone(server, id);
    writes.stop();
    expect(task.status).toBe('failed');
    const events = await taskEvents(server, id);
    expect(JSON.stringify(events)).toContain(
      'not allowed to provision hospital tenants',
    );
    expect(writes.total()).toBe(0);
    expect(get('Namespace', 'tenant-hospital-negado')).toBeUndefined();
  });

  it('refuses a slug owned by another tenant before any write', async () => {
    const server = portal!.server;
    const writes = countWrites();
    const id = await createTask(
      server,
      specInput({ slug: 'hospital-santa-maria' }),
    );
    const task = await taskDone(server, id);
    writes.stop();
    expect(task.status).toBe('failed');
    const events = JSON.stringify(await taskEvents(server, id));
    expect(events).toContain(
      'slug: \\"hospital-santa-maria\\" is already used by the namespace tenant-hospital-santa-maria',
    );
    // no stack trace with the server's paths in the task log
    expect(events).not.toMatch(/\\n\s+at |\.ts:\d+|node_modules|\/work\//);
    expect(writes.total()).toBe(0);
  });

  it.each([
    [
      'an injected 5xx',
      'hospital-falha-5xx',
      {
        cluster: 'tenant-hospital-falha-5xx/hospital-falha-5xx',
        method: 'PATCH',
        path: '/api/v1/namespaces',
        status: 503,
      },
      /answered 503/,
    ],
    [
      'a 422',
      'hospital-falha-422',
      {
        method: 'PATCH',
        path: '/apis/networking.k8s.io/v1/namespaces/tenant-hospital-falha-422/',
        status: 422,
        times: 1,
      },
      /apply NetworkPolicy/,
    ],
    [
      'a timeout',
      'hospital-falha-tempo',
      undefined,
      /readiness did not happen within/,
    ],
  ])(
    'a failure midway (%s) leaves nothing this run created and nothing else touched',
    async (_n, slug, fault, message) => {
      const server = portal!.server;
      const santaMaria = get(
        'TenantControlPlane',
        'hospital-santa-maria',
        'tenant-hospital-santa-maria',
      ).metadata.resourceVersion;
      if (fault) sim.faults.add(fault as any);
      else sim.kamaji.hold(`tenant-${slug}`, slug);
      const id = await createTask(server, specInput({ slug }));
      const task = await taskDone(server, id);
      if (!fault) sim.kamaji.release(`tenant-${slug}`, slug);
      expect(task.status).toBe('failed');
      expect(JSON.stringify(await taskEvents(server, id))).toMatch(message);
      expect(get('Namespace', `tenant-${slug}`)).toBeUndefined();
      expect(get('TenantControlPlane', slug, `tenant-${slug}`)).toBeUndefined();
      expect(
        get(
          'TenantControlPlane',
          'hospital-santa-maria',
          'tenant-hospital-santa-maria',
        ).metadata.resourceVersion,
      ).toBe(santaMaria);
    },
  );

  it('cancellation deletes what the run created', async () => {
    const server = portal!.server;
    sim.kamaji.hold('tenant-hospital-cancela', 'hospital-cancela');
    const id = await createTask(
      server,
      specInput({ slug: 'hospital-cancela' }),
    );
    await until(
      async () =>
        !!get(
          'TenantControlPlane',
          'hospital-cancela',
          'tenant-hospital-cancela',
        ),
      v => v,
      30_000,
    );
    const res = await request(server)
      .post(`/api/scaffolder/v2/tasks/${id}/cancel`)
      .set('Authorization', mockCredentials.user.header(PLATFORM_USER));
    expect(res.status).toBe(200);
    await until(
      async () => get('Namespace', 'tenant-hospital-cancela'),
      ns => ns === undefined,
      30_000,
    );
    sim.kamaji.release('tenant-hospital-cancela', 'hospital-cancela');
    const task = await taskDone(server, id);
    expect(['cancelled', 'failed']).toContain(task.status);
  });
});

// PostgreSQL 15 when its connection string is set (CI sets it), as TestDatabases does
const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
if (POSTGRES) {
  describe('hospital:tenant:provision through the real scaffolder backend on PostgreSQL 15', () => {
    it('resumes a task on a second backend after the first stopped in the middle of each step, with no duplicates', async () => {
      const sqlite = databaseConfig;
      databaseConfig = {
        client: 'pg',
        connection: POSTGRES,
        prefix: `tenants_${Date.now().toString(36)}_`,
      };
      try {
        const { second, resumed } = await crashAndResume('-pg');
        await second.stop();
        expect(resumed).toHaveLength(Object.keys(CRASHES).length);
      } finally {
        databaseConfig = sqlite;
      }
    });
  });
}
