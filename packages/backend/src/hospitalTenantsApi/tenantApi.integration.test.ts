import {
  CacheService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { tenantControlPlaneToEntity } from '@prontuario/plugin-catalog-backend-module-hospital-tenants';
import hospitalTenantsPlugin from '@prontuario/plugin-hospital-tenants-backend';
import {
  KubernetesClusterClient,
  managementClusterReaderServiceRef,
} from '@prontuario/plugin-hospital-tenants-node';
import {
  ClusterSimulator,
  loadReferenceTenants,
  seedTenants,
  startClusterSimulator,
} from '@prontuario/upstream-simulators';
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import policyModule from '../modules/permissionPolicy';
import {
  authWithPluginActor,
  getTenantApi,
  testDatabaseConfig,
} from '../__testUtils__/testServices';

/**
 * The tenant API through the real permission backend and the portal's
 * policy module, with the reference tenants on the cluster simulator, on
 * SQLite and PostgreSQL 15.
 */

const repoRoot = path.resolve(__dirname, '../../../..');
const PLATFORM_USER = 'user:default/ana.platform';
const SANTA_MARIA_USER = 'user:default/sofia.santamaria';

/** Ownership refs as the catalog sign-in resolver issues them, from the example org. */
function ownershipFromExampleOrg(): Map<string, string[]> {
  const docs = parseAllDocuments(
    fs.readFileSync(path.join(repoRoot, 'examples/org.yaml'), 'utf8'),
  ).map(doc => doc.toJSON());
  const ownership = new Map<string, string[]>();
  for (const doc of docs) {
    if (doc?.kind === 'User') {
      const ref = `user:default/${doc.metadata.name}`;
      ownership.set(ref, [
        ref,
        ...(doc.spec.memberOf as string[]).map(g => `group:default/${g}`),
      ]);
    }
  }
  return ownership;
}

const ownership = ownershipFromExampleOrg();

const userInfoFromOrg = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const principal = credentials.principal as { userEntityRef?: string };
      const userEntityRef = principal.userEntityRef!;
      return {
        userEntityRef,
        ownershipEntityRefs: ownership.get(userEntityRef) ?? [userEntityRef],
      };
    },
  }),
});

/** An in-memory cache service that counts its reads. */
function countingCache() {
  const reads = { count: 0 };
  const store = new Map<string, unknown>();
  const service: CacheService = {
    async get(key) {
      reads.count++;
      return store.get(key) as any;
    },
    async set(key, value) {
      store.set(key, value);
    },
    async delete(key) {
      store.delete(key);
    },
    withOptions() {
      return service;
    },
  };
  return {
    reads,
    factory: createServiceFactory({
      service: coreServices.cache,
      deps: {},
      factory: () => service,
    }),
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())(
  'the tenant API with the portal policy on %s',
  id => {
    let sim: ClusterSimulator;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let server: Parameters<typeof getTenantApi>[0];
    const cache = countingCache();

    beforeAll(async () => {
      sim = await startClusterSimulator({ port: 0, readyDelayMs: 100 });
      const tenants = await loadReferenceTenants(repoRoot);
      await seedTenants(sim, tenants);
      const kc = new KubeConfig();
      kc.loadFromString(sim.kubeconfigs.reader);
      const client = new KubernetesClusterClient(kc, {
        requestTimeoutMs: 10_000,
      });
      backend = await startTestBackend({
        features: [
          hospitalTenantsPlugin,
          permissionPlugin,
          policyModule,
          userInfoFromOrg,
          authWithPluginActor,
          cache.factory,
          catalogServiceMock.factory({
            entities: tenants.map(t =>
              tenantControlPlaneToEntity(
                t.management.find(o => o.kind === 'TenantControlPlane')!,
              ),
            ),
          }),
          createServiceFactory({
            service: managementClusterReaderServiceRef,
            deps: {},
            factory: () => ({
              identity: 'reader' as const,
              configured: true,
              client: () => client,
            }),
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: {
                baseUrl: 'http://localhost:7007',
                database: testDatabaseConfig(id, 'tenantapi'),
              },
              permission: { enabled: true },
              hospitalTenants: {
                api: { warmupSeconds: 0, validateResponses: true },
              },
            },
          }),
        ],
      });
      server = backend.server;
    });

    afterEach(() => sim.faults.clear());

    afterAll(async () => {
      await backend?.stop();
      await sim?.stop();
    });

    const get = (route: string, user?: string) =>
      getTenantApi(server, route, user);

    it("serves an owner their tenant's status and isolation", async () => {
      const status = await get(
        '/tenants/hospital-santa-maria/status',
        SANTA_MARIA_USER,
      );
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        tenantId: 'hospital-santa-maria',
        phase: 'Ready',
        stale: false,
      });
      const isolation = await get(
        '/tenants/hospital-santa-maria/isolation',
        SANTA_MARIA_USER,
      );
      expect(isolation.status).toBe(200);
      expect(isolation.body.score.failed).toBe(0);
    });

    it("answers another hospital's tenant like an unknown one, with no upstream call and no cache read", async () => {
      const counting = sim.faults.add({ path: '/', latencyMs: 0 });
      const hits = sim.faults.hits;
      const reads = cache.reads.count;
      for (const facet of ['status', 'isolation']) {
        const other = await get(
          `/tenants/hospital-sao-joao/${facet}`,
          SANTA_MARIA_USER,
        );
        const unknown = await get(
          `/tenants/hospital-nenhum/${facet}`,
          SANTA_MARIA_USER,
        );
        expect(other.status).toBe(404);
        expect(unknown.status).toBe(404);
        expect(other.body.error).toEqual({
          name: 'NotFoundError',
          message: 'No tenant hospital-sao-joao',
        });
        expect(unknown.body.error).toEqual({
          name: 'NotFoundError',
          message: 'No tenant hospital-nenhum',
        });
      }
      expect(sim.faults.hits).toBe(hits);
      expect(cache.reads.count).toBe(reads);
      counting();
      const list = await get('/tenants', SANTA_MARIA_USER);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: any) => i.tenantId)).toEqual([
        'hospital-santa-maria',
      ]);
    });

    it('serves a platform engineer every tenant', async () => {
      const list = await get('/tenants', PLATFORM_USER);
      expect(list.body.items.map((i: any) => i.tenantId)).toEqual([
        'hospital-santa-maria',
        'hospital-sao-joao',
        'real-hospital-portugues',
      ]);
      const status = await get(
        '/tenants/hospital-sao-joao/status',
        PLATFORM_USER,
      );
      expect(status.status).toBe(200);
    });

    it('refuses a request without a token', async () => {
      expect((await get('/tenants/hospital-santa-maria/status')).status).toBe(
        401,
      );
      expect((await get('/tenants')).status).toBe(401);
    });

    it('refuses encoded, upper-case and over-long ids', async () => {
      for (const tenantId of [
        'Hospital-Santa-Maria',
        '%68ospital-santa-maria%2F',
        `h${'a'.repeat(60)}`,
      ]) {
        const res = await get(`/tenants/${tenantId}/status`, PLATFORM_USER);
        expect([tenantId, [400, 404].includes(res.status)]).toEqual([
          tenantId,
          true,
        ]);
      }
    });
  },
);
