import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import searchModulePg from '@backstage/plugin-search-backend-module-pg';
import { tenantControlPlaneToEntity } from '@prontuario/plugin-catalog-backend-module-hospital-tenants';
import hospitalTenantsPlugin from '@prontuario/plugin-hospital-tenants-backend';
import {
  clusterGroupOfOwner,
  groupsFromCatalogYaml,
  KubernetesClusterClient,
  managementApplyOrder,
  managementClusterReaderServiceRef,
  parseHospitalTenantsConfigOrThrow,
  planTenantProvisioning,
  pollUntil,
  validateTenantSpec,
} from '@prontuario/plugin-hospital-tenants-node';
import searchModuleHospitalTenants, {
  searchModuleHospitalTenantsLunrEngine,
} from '@prontuario/plugin-search-backend-module-hospital-tenants';
import {
  ClusterSimulator,
  loadReferenceTenants,
  SeedTenant,
  seedTenants,
  startClusterSimulator,
} from '@prontuario/upstream-simulators';
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import catalogVisibility from '../modules/catalogVisibility';
import policyModule from '../modules/permissionPolicy';
import {
  authWithPluginActor,
  testDatabaseConfig,
  uniqueDatabasePrefix,
} from '../__testUtils__/testServices';

/**
 * Portal search of hospital tenants, through the real search backend (the
 * PostgreSQL engine on PostgreSQL 15, Lunr on SQLite), the portal's policy,
 * the real tenant API and the real catalog as the portal has it: the
 * locations of app-config.yaml (examples/org.yaml's people and groups, the
 * system, the template, the portal itself) and four tenants, the fourth a
 * second São João unit as the e2e suite provisions it. The people and groups
 * matter: the user `joao.saojoao` and the group "Hospital São João" also
 * match "sao joao".
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

const appConfig = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);

/**
 * The catalog locations of app-config.yaml, their targets made absolute
 * (the portal resolves them from packages/backend).
 */
const catalogLocations = appConfig.catalog.locations.map((l: any) => ({
  ...l,
  target: path.resolve(repoRoot, 'packages/backend', l.target),
}));

/**
 * A fourth tenant, a second São João unit (as the e2e suite provisions it),
 * planned the way the reference tenants are.
 */
function fourthTenant(): SeedTenant {
  const config = parseHospitalTenantsConfigOrThrow(appConfig.hospitalTenants);
  const groups = groupsFromCatalogYaml(
    fs.readFileSync(path.join(repoRoot, 'examples/org.yaml'), 'utf8'),
  );
  const spec = validateTenantSpec(
    {
      ...parse(
        fs.readFileSync(
          path.join(repoRoot, 'examples/tenants/hospital-sao-joao.yaml'),
          'utf8',
        ),
      ),
      displayName: 'Hospital São João Unidade Norte',
      slug: 'hospital-sao-joao-unidade-norte',
      departments: ['Pronto-Socorro', 'Pediatria', 'Oncologia'],
      dailyUsers: 180,
    },
    config,
  );
  spec.clusterGroup = clusterGroupOfOwner(
    spec.ownerGroup,
    groups.get(spec.ownerGroup.toLocaleLowerCase('en-US')),
  );
  const plan = planTenantProvisioning(spec, config);
  return {
    slug: spec.slug,
    management: managementApplyOrder(plan),
    tenant: plan.tenant,
  };
}

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

/** Feeds the real catalog the given entities, as the tenant entity provider would. */
function catalogWith(entities: Entity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'search-test-entities',
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'search-test-entities',
            async connect(connection) {
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity,
                  locationKey: 'search-test-entities',
                })),
              });
            },
          });
        },
      });
    },
  });
}

/** What app-config.yaml tells the catalog collator to index. */
const catalogCollatorFilter = appConfig.search.collators.catalog.filter;

const pgPrefix = uniqueDatabasePrefix('search');

function databaseConfig(id: string) {
  return id === 'SQLITE_3'
    ? testDatabaseConfig(id, 'search')
    : { ...testDatabaseConfig(id, 'search'), prefix: pgPrefix };
}

const everyTwoSeconds = {
  frequency: { seconds: 2 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 0 },
};

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
let lastResponse = '';
async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  return pollUntil(check, {
    timeoutMs,
    intervalMs: 250,
    onTimeout: () => {
      throw new Error(`Condition not met in time; last: ${lastResponse}`);
    },
  });
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

jest.setTimeout(180_000);

describe.each(databases.eachSupportedId())(
  'hospital tenant search with the portal policy on %s',
  id => {
    const engine = id === 'POSTGRES_15' ? 'PostgreSQL' : 'Lunr';
    let sim: ClusterSimulator;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let server: Parameters<typeof request>[0];

    const search = (term: string, user: string) =>
      request(server)
        .get('/api/search/query')
        .query({ term })
        .set('Authorization', mockCredentials.user.header(user));

    beforeAll(async () => {
      sim = await startClusterSimulator({ port: 0, readyDelayMs: 100 });
      const tenants = [
        ...(await loadReferenceTenants(repoRoot)),
        fourthTenant(),
      ];
      await seedTenants(sim, tenants);
      const kc = new KubeConfig();
      kc.loadFromString(sim.kubeconfigs.reader);
      const client = new KubernetesClusterClient(kc, {
        requestTimeoutMs: 10_000,
      });
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleScaffolderEntityModel,
          catalogVisibility,
          catalogWith(
            tenants.map(t =>
              tenantControlPlaneToEntity(
                t.management.find(o => o.kind === 'TenantControlPlane')!,
              ),
            ),
          ),
          hospitalTenantsPlugin,
          permissionPlugin,
          policyModule,
          userInfoFromOrg,
          authWithPluginActor,
          searchPlugin,
          // the real scheduler: the collators run on their schedules
          schedulerServiceFactory,
          // the engines as the portal has them (features.ts)
          searchModulePg,
          searchModuleHospitalTenantsLunrEngine,
          searchModuleCatalog,
          searchModuleHospitalTenants,
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
                database: databaseConfig(id),
              },
              permission: { enabled: true },
              catalog: {
                rules: appConfig.catalog.rules,
                locations: catalogLocations,
              },
              hospitalTenants: {
                api: { warmupSeconds: 0, tenantIndexRefreshSeconds: 1 },
              },
              search: {
                collators: {
                  catalog: {
                    schedule: everyTwoSeconds,
                    filter: catalogCollatorFilter,
                  },
                  hospitalTenants: { schedule: everyTwoSeconds },
                },
              },
            },
          }),
        ],
      });
      server = backend.server;
      // indexed once the catalog has the tenants and the people, the tenant
      // API's index has read them and both collators have run
      await eventually(async () => {
        const res = await search('hospital', PLATFORM_USER);
        lastResponse = JSON.stringify(res.body).slice(0, 500);
        const tenantsFound = res.body.results?.filter(
          (r: any) => r.type === 'hospital-tenant',
        );
        const people = await search('joao', PLATFORM_USER);
        const joao = people.body.results?.some(
          (r: any) =>
            r.document.location === '/catalog/default/user/joao.saojoao',
        );
        return tenantsFound?.length === 4 && joao ? true : undefined;
      });
    });

    afterAll(async () => {
      await backend?.stop();
      await sim?.stop();
    });

    it.each(['sao joao', 'SÃO JOÃO', 'São João', 'SAO JOAO'])(
      `finds Hospital São João first for a platform engineer with %j on ${engine}`,
      async term => {
        const res = await search(term, PLATFORM_USER);
        expect(res.status).toBe(200);
        expect(res.body.results[0]).toMatchObject({
          type: 'hospital-tenant',
          document: {
            title: 'Hospital São João',
            location: '/catalog/default/resource/hospital-sao-joao',
          },
        });
        // one result per tenant: the catalog collator does not index it
        expect(
          res.body.results.filter(
            (r: any) =>
              r.document.location ===
              '/catalog/default/resource/hospital-sao-joao',
          ),
        ).toHaveLength(1);
      },
    );

    it(`finds the second São João unit first by its own name on ${engine}`, async () => {
      for (const term of ['unidade norte', 'São João Unidade Norte']) {
        const res = await search(term, PLATFORM_USER);
        expect(res.status).toBe(200);
        expect(res.body.results[0]?.document.tenantId).toBe(
          'hospital-sao-joao-unidade-norte',
        );
      }
    });

    // Ranking tenants first must not bury the other types: each is still
    // first when its own name is typed.
    it.each([
      ['Ana Platform', '/catalog/default/user/ana.platform'],
      ['joao.saojoao', '/catalog/default/user/joao.saojoao'],
      ['Platform Engineering', '/catalog/default/group/platform-engineering'],
      // accented as written: the PostgreSQL engine folds no accents
      ['Prontuário portal', '/catalog/default/component/prontuario-portal'],
      ['New Hospital Tenant', '/catalog/default/template/new-hospital-tenant'],
    ])(
      `still finds other types first by their names, %j, on ${engine}`,
      async (term, location) => {
        const res = await search(term, PLATFORM_USER);
        expect(res.status).toBe(200);
        expect(res.body.results[0]?.document.location).toBe(location);
      },
    );

    // The deciding case for folding: the slug already holds "sao joao"
    // (the PostgreSQL parser splits hyphenated words), a department's
    // unaccented form exists only in the folded text.
    it.each([
      ['clinica geral', 'hospital-sao-joao'],
      ['CLINICA', 'hospital-sao-joao'],
      ['Clínica Geral', 'hospital-sao-joao'],
      ['obstetricia', 'hospital-santa-maria'],
    ])(
      `finds a tenant by an unaccented department, %j, on ${engine}`,
      async (term, tenantId) => {
        const res = await search(term, PLATFORM_USER);
        expect(res.status).toBe(200);
        expect(res.body.results[0]?.document.tenantId).toBe(tenantId);
      },
    );

    it(`finds Hospital Santa Maria with "santa" on ${engine}`, async () => {
      const res = await search('santa', PLATFORM_USER);
      expect(res.status).toBe(200);
      expect(res.body.results[0].document).toMatchObject({
        title: 'Hospital Santa Maria',
        tenantId: 'hospital-santa-maria',
      });
    });

    it(`shows a Santa Maria user no other hospital, not even as a count, on ${engine}`, async () => {
      for (const term of ['São João', 'sao joao', 'hospital']) {
        const res = await search(term, SANTA_MARIA_USER);
        expect(res.status).toBe(200);
        const tenantIds = res.body.results
          .filter((r: any) => r.type === 'hospital-tenant')
          .map((r: any) => r.document.tenantId);
        expect(
          tenantIds.filter((t: string) => t !== 'hospital-santa-maria'),
        ).toEqual([]);
        expect(JSON.stringify(res.body)).not.toMatch(/s[ãa]o jo[ãa]o/i);
        expect(res.body.numberOfResults).toBeUndefined();
      }
      const own = await search('santa', SANTA_MARIA_USER);
      expect(own.body.results[0].document.tenantId).toBe(
        'hospital-santa-maria',
      );
    });

    if (id === 'POSTGRES_15') {
      it('keeps the documents in the PostgreSQL engine, accented title and folded text', async () => {
        const url = new URL(
          process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING!,
        );
        url.pathname = `/${pgPrefix}search`;
        const db = knexFactory({ client: 'pg', connection: url.toString() });
        try {
          const rows = await db('documents')
            .select(
              db.raw("document->>'title' AS title"),
              db.raw("document->>'text' AS text"),
            )
            .where('type', 'hospital-tenant')
            .whereRaw("document->>'tenantId' = ?", ['hospital-sao-joao']);
          expect(rows).toHaveLength(1);
          expect(rows[0].title).toBe('Hospital São João');
          expect(rows[0].text).toContain('Hospital Sao Joao');
        } finally {
          await db.destroy();
        }
      });
    }

    it(`indexes exactly the tenants the tenant API lists, with its facts, on ${engine}`, async () => {
      const api = await request(server)
        .get('/api/hospital-tenants/tenants')
        .set('Authorization', mockCredentials.user.header(PLATFORM_USER));
      expect(api.status).toBe(200);
      const res = await request(server)
        .get('/api/search/query')
        .query({ term: 'hospital', types: ['hospital-tenant'] })
        .set('Authorization', mockCredentials.user.header(PLATFORM_USER));
      const documents = res.body.results
        .map((r: any) => r.document)
        .sort((a: any, b: any) => (a.tenantId < b.tenantId ? -1 : 1));
      expect(
        documents.map((d: any) => ({ tenantId: d.tenantId, phase: d.phase })),
      ).toEqual(
        api.body.items.map((i: any) => ({
          tenantId: i.tenantId,
          phase: i.summary?.phase ?? '',
        })),
      );
      expect(api.body.items).toHaveLength(4);
      for (const d of documents) {
        expect(d).toMatchObject({
          location: `/catalog/default/resource/${d.tenantId}`,
          slaVerdict: '',
        });
        expect(d.region).not.toBe('');
        expect(d.owner).toBe(
          `group:default/${d.tenantId.replace(/-unidade-norte$/, '')}`,
        );
        expect(d.departments.length).toBeGreaterThan(0);
        // no cost figures
        expect(Object.keys(d).join(' ')).not.toMatch(/budget|cost|users/i);
      }
    });
  },
);
