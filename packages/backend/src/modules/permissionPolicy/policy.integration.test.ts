import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import { tenantControlPlaneToEntity } from '@prontuario/plugin-catalog-backend-module-hospital-tenants';
import { loadReferenceTenants } from '@prontuario/upstream-simulators';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments, stringify } from 'yaml';
import policyModule from './module';

/**
 * The portal's policy through the real catalog, search, Kubernetes and
 * scaffolder backends, with the example catalog data, on SQLite and
 * PostgreSQL 15.
 */

const repoRoot = path.resolve(__dirname, '../../../../..');
const GUEST = 'user:default/ana.platform';
const SANTA_MARIA_USER = 'user:default/sofia.santamaria';
const SAO_JOAO_USER = 'user:default/joao.saojoao';
const TENANTS = [
  'resource:default/hospital-santa-maria',
  'resource:default/hospital-sao-joao',
  'resource:default/real-hospital-portugues',
];
const TEMPLATE = 'template:default/provision-something';
/** Entities of the other locations every user may see. */
const REST_OF_CATALOG = [
  'system:default/prontuario-medico',
  'component:default/prontuario-portal',
  'group:default/hospital-sao-joao',
  'group:default/platform-engineering',
];

/**
 * Ownership refs as the catalog sign-in resolver issues them: the user and
 * the groups it is a member of, read from the example org.
 */
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

/**
 * The mock auth service of backend-test-utils 1.11 issues plugin-to-plugin
 * tokens on behalf of a user without marking the calling plugin as the
 * actor, which the current permission backend rejects for conditional
 * requests. The real auth service marks it; so does this wrapper.
 */
const authWithPluginActor = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const pluginId = plugin.getId();
    const inner = mockServices.auth({ pluginId });
    return {
      authenticate: inner.authenticate.bind(inner),
      isPrincipal: inner.isPrincipal.bind(inner) as AuthService['isPrincipal'],
      getNoneCredentials: inner.getNoneCredentials.bind(inner),
      getOwnServiceCredentials: inner.getOwnServiceCredentials.bind(inner),
      getLimitedUserToken: inner.getLimitedUserToken.bind(inner),
      listPublicServiceKeys: inner.listPublicServiceKeys.bind(inner),
      async getPluginRequestToken(options) {
        if (inner.isPrincipal(options.onBehalfOf, 'user')) {
          return {
            token: mockCredentials.user.token(
              options.onBehalfOf.principal.userEntityRef,
              { actor: { subject: `plugin:${pluginId}` } },
            ),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
  },
});

function databaseConfig(id: string) {
  if (id === 'SQLITE_3') {
    return { client: 'better-sqlite3', connection: ':memory:' };
  }
  return {
    client: 'pg',
    connection:
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING!,
    prefix: `policy_${Date.now().toString(36)}_${Math.floor(
      Math.random() * 1e6,
    ).toString(36)}_`,
  };
}

const location = (file: string) => ({
  type: 'file',
  target: path.isAbsolute(file) ? file : path.join(repoRoot, file),
});

/**
 * The reference tenants' entities exactly as the entity provider emits them
 * from the TenantControlPlanes the domain core renders (no cluster needed).
 */
async function writeReferenceTenantEntities(): Promise<string> {
  const tenants = await loadReferenceTenants(repoRoot);
  const entities = tenants.map(t =>
    tenantControlPlaneToEntity(
      t.management.find(o => o.kind === 'TenantControlPlane')!,
      { clusterUrl: 'https://management.example:6443' },
    ),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-tenants-'));
  const file = path.join(dir, 'tenants.yaml');
  fs.writeFileSync(file, entities.map(e => stringify(e)).join('---\n'));
  return file;
}

async function startPortalBackend(id: string, tenantsFile: string) {
  return startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      permissionPlugin,
      policyModule,
      searchPlugin,
      searchModuleCatalogCollator,
      kubernetesPlugin,
      scaffolderPlugin,
      userInfoFromOrg,
      authWithPluginActor,
      // The real scheduler, so the search index is refreshed on its schedule.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: databaseConfig(id),
          },
          permission: { enabled: true },
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'Domain',
                  'Resource',
                  'Template',
                ],
              },
            ],
            locations: [
              location('catalog-info.yaml'),
              location('examples/system.yaml'),
              location(tenantsFile),
              location(
                path.join(__dirname, '__fixtures__/provisioning-template.yaml'),
              ),
              {
                ...location('examples/org.yaml'),
                rules: [{ allow: ['User', 'Group'] }],
              },
            ],
          },
          search: {
            collators: {
              catalog: {
                schedule: {
                  frequency: { seconds: 2 },
                  timeout: { minutes: 1 },
                  initialDelay: { seconds: 1 },
                },
              },
            },
          },
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'management',
                    url: 'https://127.0.0.1:9',
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'unused',
                  },
                ],
              },
            ],
          },
        },
      }),
    ],
  });
}

type Server = Parameters<typeof request>[0];

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const value = await read();
      if (done(value) || Date.now() > deadline) {
        return value;
      }
    } catch (error) {
      // Not ready yet (e.g. the search index is still being built).
      if (Date.now() > deadline) {
        throw error;
      }
    }
    await new Promise(resolve => setTimeout(resolve, 300));
  }
}

async function catalogRefs(server: Server, user: string, filter: string) {
  const res = await request(server)
    .get(`/api/catalog/entities/by-query?filter=${filter}&limit=100`)
    .set('Authorization', mockCredentials.user.header(user));
  expect(res.status).toBe(200);
  return (res.body.items as any[])
    .map(e => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`)
    .map(ref => ref.toLocaleLowerCase('en-US'))
    .sort();
}

async function searchRefs(server: Server, user: string, term: string) {
  const res = await request(server)
    .get(
      `/api/search/query?term=${encodeURIComponent(
        term,
      )}&types[0]=software-catalog`,
    )
    .set('Authorization', mockCredentials.user.header(user));
  expect(res.status).toBe(200);
  return (res.body.results as any[])
    .map(r => r.document.location as string)
    .map(loc => {
      const [, namespace, kind, name] = loc.match(
        /\/catalog\/([^/]+)\/([^/]+)\/([^/]+)/,
      )!;
      return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    })
    .sort();
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

jest.setTimeout(180_000);

describe.each(databases.eachSupportedId())(
  'the portal permission policy on %s',
  id => {
    let backend: Awaited<ReturnType<typeof startPortalBackend>>;
    let server: Server;

    let tenantsFile: string;

    beforeAll(async () => {
      tenantsFile = await writeReferenceTenantEntities();
      backend = await startPortalBackend(id, tenantsFile);
      server = backend.server;
      // The catalog has ingested everything and search has indexed it.
      await eventually(
        () => catalogRefs(server, GUEST, 'kind=resource,kind=template'),
        refs => refs.length === 4,
      );
      // Each location is processed on its own: wait for the others too.
      await eventually(
        () =>
          catalogRefs(server, GUEST, 'kind=system,kind=group,kind=component'),
        refs => REST_OF_CATALOG.every(ref => refs.includes(ref)),
      );
      await eventually(
        () => searchRefs(server, GUEST, 'hospital'),
        refs => TENANTS.every(t => refs.includes(t)),
      );
    });

    afterAll(async () => {
      await backend?.stop();
      fs.rmSync(path.dirname(tenantsFile), { recursive: true, force: true });
    });

    it('shows the guest, a platform engineer, every tenant and the template', async () => {
      expect(
        await catalogRefs(server, GUEST, 'spec.type=hospital-tenant'),
      ).toEqual([...TENANTS, TEMPLATE].sort());
    });

    it('shows a Santa Maria user its own tenant and not the others', async () => {
      expect(
        await catalogRefs(
          server,
          SANTA_MARIA_USER,
          'spec.type=hospital-tenant',
        ),
      ).toEqual(['resource:default/hospital-santa-maria']);
    });

    it('shows a São João user its own tenant and not the others', async () => {
      expect(
        await catalogRefs(server, SAO_JOAO_USER, 'spec.type=hospital-tenant'),
      ).toEqual(['resource:default/hospital-sao-joao']);
    });

    it('still shows hospital users the rest of the catalog', async () => {
      const refs = await catalogRefs(
        server,
        SANTA_MARIA_USER,
        'kind=system,kind=group,kind=component',
      );
      expect(refs).toEqual(expect.arrayContaining(REST_OF_CATALOG));
    });

    it('filters the catalog search results the same way', async () => {
      const tenantsIn = (refs: string[]) =>
        refs.filter(ref => TENANTS.includes(ref) || ref === TEMPLATE);

      expect(tenantsIn(await searchRefs(server, GUEST, 'hospital'))).toEqual(
        [...TENANTS, TEMPLATE].sort(),
      );
      expect(
        tenantsIn(await searchRefs(server, SANTA_MARIA_USER, 'hospital')),
      ).toEqual(['resource:default/hospital-santa-maria']);
      expect(
        tenantsIn(await searchRefs(server, SAO_JOAO_USER, 'hospital')),
      ).toEqual(['resource:default/hospital-sao-joao']);
      expect(await searchRefs(server, GUEST, 'provision')).toContain(TEMPLATE);
      expect(
        await searchRefs(server, SANTA_MARIA_USER, 'provision'),
      ).not.toContain(TEMPLATE);
    });

    it('gives hospital users no Kubernetes data', async () => {
      const clusters = (user: string) =>
        request(server)
          .get('/api/kubernetes/clusters')
          .set('Authorization', mockCredentials.user.header(user));
      const guest = await clusters(GUEST);
      expect(guest.status).toBe(200);
      expect(guest.body.items.map((c: any) => c.name)).toEqual(['management']);
      expect((await clusters(SANTA_MARIA_USER)).status).toBe(403);

      const workloads = await request(server)
        .post('/api/kubernetes/services/hospital-santa-maria')
        .set('Authorization', mockCredentials.user.header(SANTA_MARIA_USER))
        .send({
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: { name: 'hospital-santa-maria' },
          },
        });
      expect(workloads.status).toBe(403);
    });

    it('gives hospital users no provisioning template and no task', async () => {
      const schema = (user: string) =>
        request(server)
          .get(
            '/api/scaffolder/v2/templates/default/template/provision-something/parameter-schema',
          )
          .set('Authorization', mockCredentials.user.header(user));
      expect((await schema(GUEST)).status).toBe(200);
      expect([403, 404]).toContain((await schema(SANTA_MARIA_USER)).status);

      const task = await request(server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', mockCredentials.user.header(SANTA_MARIA_USER))
        .send({ templateRef: TEMPLATE, values: { name: 'x' } });
      expect([403, 404]).toContain(task.status);
      expect(task.body.id).toBeUndefined();
    });
  },
);
