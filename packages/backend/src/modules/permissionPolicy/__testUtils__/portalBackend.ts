import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import eventsPlugin from '@backstage/plugin-events-backend';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import userSettingsPlugin from '@backstage/plugin-user-settings-backend';
import { tenantControlPlaneToEntity } from '@prontuario/plugin-catalog-backend-module-hospital-tenants';
import hospitalTenantsPlugin from '@prontuario/plugin-hospital-tenants-backend';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';
import scaffolderModuleHospitalTenants from '@prontuario/plugin-scaffolder-backend-module-hospital-tenants';
import { loadReferenceTenants } from '@prontuario/upstream-simulators';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments, stringify } from 'yaml';
import catalogVisibilityModule from '../../catalogVisibility';
import policyModule from '../module';
import {
  authWithPluginActor,
  testDatabaseConfig,
} from '../../../__testUtils__/testServices';

/**
 * The portal's backend for the policy tests: the real catalog, search
 * (Lunr), Kubernetes, scaffolder, events and user-settings
 * backends with the portal's policy, the example catalog and the reference
 * tenants' entities, on SQLite or PostgreSQL 15.
 */

export const repoRoot = path.resolve(__dirname, '../../../../../..');
const fixtures = path.resolve(__dirname, '../__fixtures__');

export const PLATFORM_USER = 'user:default/ana.platform';
export const SANTA_MARIA_USER = 'user:default/sofia.santamaria';
export const SAO_JOAO_USER = 'user:default/joao.saojoao';
export const TWO_HOSPITALS_USER = 'user:default/duarte.duplo';
export const NO_GROUP_USER = 'user:default/nina.semgrupo';
export const FINANCE_USER = 'user:default/fatima.finance';

export const TENANTS = [
  'resource:default/hospital-santa-maria',
  'resource:default/hospital-sao-joao',
  'resource:default/real-hospital-portugues',
];
export const TEMPLATE = 'template:default/provision-something';

const ORG_FILES = [
  path.join(repoRoot, 'examples/org.yaml'),
  path.join(fixtures, 'visibility-org.yaml'),
];

/**
 * Ownership refs as the catalog sign-in resolver issues them: the user and
 * the groups it is a member of, read from the org files.
 */
function ownershipFromOrg(): Map<string, string[]> {
  const ownership = new Map<string, string[]>();
  for (const file of ORG_FILES) {
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map(doc =>
      doc.toJSON(),
    );
    for (const doc of docs) {
      if (doc?.kind === 'User') {
        const ref = `user:default/${doc.metadata.name}`;
        ownership.set(ref, [
          ref,
          ...((doc.spec.memberOf ?? []) as string[]).map(
            g => `group:default/${g}`,
          ),
        ]);
      }
    }
  }
  return ownership;
}

const ownership = ownershipFromOrg();

/**
 * The user info the permission backend hands the policy (`user.info`): the
 * ownership refs as the sign-in resolver put them in the token.
 */
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

const location = (file: string) => ({
  type: 'file',
  target: path.isAbsolute(file) ? file : path.join(repoRoot, file),
});

/**
 * The reference tenants' entities exactly as the entity provider emits them
 * from the TenantControlPlanes the domain core renders (no cluster needed).
 */
export async function writeReferenceTenantEntities(): Promise<string> {
  const tenants = await loadReferenceTenants(repoRoot);
  const entities = tenants.map(t =>
    tenantControlPlaneToEntity(
      t.management.find(o => o.kind === 'TenantControlPlane')!,
    ),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-tenants-'));
  const file = path.join(dir, 'tenants.yaml');
  fs.writeFileSync(file, entities.map(e => stringify(e)).join('---\n'));
  return file;
}

/**
 * The plugins whose permission metadata the completeness test reads: every
 * plugin of `packages/backend/src/index.ts` this backend runs. The portal's
 * other plugins (app, auth, signals, which needs a real HTTP server for its
 * WebSocket) never use the permissions registry in the installed versions,
 * so they register nothing.
 */
export const PORTAL_PLUGIN_IDS = [
  'catalog',
  'scaffolder',
  'kubernetes',
  'search',
  'permission',
  'events',
  'user-settings',
  'hospital-tenants',
];

export async function startPortalBackend(id: string, tenantsFile: string) {
  return startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      catalogVisibilityModule,
      permissionPlugin,
      policyModule,
      searchPlugin,
      searchModuleCatalogCollator,
      kubernetesPlugin,
      scaffolderPlugin,
      scaffolderModuleHospitalTenants,
      hospitalTenantsPlugin,
      eventsPlugin,
      userSettingsPlugin,
      userInfoFromOrg,
      authWithPluginActor,
      // The real scheduler, so the search index is refreshed on its schedule.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: testDatabaseConfig(id, 'policy'),
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
              location(path.join(fixtures, 'provisioning-template.yaml')),
              ...ORG_FILES.map(file => ({
                ...location(file),
                rules: [{ allow: ['User', 'Group', 'Component'] }],
              })),
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

export type Server = Parameters<typeof request>[0];

/** Polls `read` until `done` holds (or 60 s pass), returning the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  let last: { value: T } | undefined;
  const result = await pollUntil(
    async () => {
      last = { value: await read() };
      // wrapped: the awaited value itself may be undefined
      return done(last.value) ? last : undefined;
    },
    {
      timeoutMs: 60_000,
      intervalMs: 300,
      // Not ready yet (e.g. the search index is still being built).
      retryOn: () => true,
      onTimeout: lastError => {
        if (lastError !== undefined || !last) throw lastError;
        return last;
      },
    },
  );
  return result.value;
}

export const refOf = (e: any) =>
  `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLocaleLowerCase(
    'en-US',
  );

export function get(server: Server, user: string, url: string) {
  return request(server)
    .get(url)
    .set('Authorization', mockCredentials.user.header(user));
}

export async function catalogEntities(
  server: Server,
  user: string,
  filter?: string,
): Promise<any[]> {
  const res = await get(
    server,
    user,
    `/api/catalog/entities/by-query?limit=500${
      filter ? `&filter=${filter}` : ''
    }`,
  );
  expect(res.status).toBe(200);
  return res.body.items;
}

export async function catalogRefs(
  server: Server,
  user: string,
  filter?: string,
) {
  return (await catalogEntities(server, user, filter)).map(refOf).sort();
}

export async function searchResults(
  server: Server,
  user: string,
  term: string,
): Promise<any> {
  const res = await get(
    server,
    user,
    `/api/search/query?term=${encodeURIComponent(
      term,
    )}&types[0]=software-catalog`,
  );
  expect(res.status).toBe(200);
  return res.body;
}

export async function searchRefs(server: Server, user: string, term: string) {
  return ((await searchResults(server, user, term)).results as any[])
    .map(r => r.document.location as string)
    .map(loc => {
      const [, namespace, kind, name] = loc.match(
        /\/catalog\/([^/]+)\/([^/]+)\/([^/]+)/,
      )!;
      return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    })
    .sort();
}
