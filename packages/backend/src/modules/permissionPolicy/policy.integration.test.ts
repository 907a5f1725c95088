import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  catalogRefs,
  eventually,
  FINANCE_USER,
  get,
  PLATFORM_USER,
  PORTAL_PLUGIN_IDS,
  SANTA_MARIA_USER,
  SAO_JOAO_USER,
  searchRefs,
  Server,
  startPortalBackend,
  TEMPLATE,
  TENANTS,
  writeReferenceTenantEntities,
} from './__testUtils__/portalBackend';
import { ROLE_DECISIONS } from './decisions';
import { HospitalTenantsPermissionPolicy } from './HospitalTenantsPermissionPolicy';

/**
 * The portal's policy through the real catalog, search, Kubernetes and
 * scaffolder backends, with the example catalog data, on SQLite and
 * PostgreSQL 15. The visibility rule's rows are in
 * `visibility.integration.test.ts`.
 */

const { ALLOW, DENY, CONDITIONAL } = AuthorizeResult;

/**
 * The decision each role gets for every permission the portal registers.
 * A permission a plugin registers that is missing here fails the test
 * until the team decides it (and adds it to `ROLE_DECISIONS`).
 */
const EXPECTED: Record<
  string,
  { finance: AuthorizeResult; hospital: AuthorizeResult }
> = {
  'catalog.entity.read': { finance: CONDITIONAL, hospital: CONDITIONAL },
  'catalog.entity.create': { finance: DENY, hospital: DENY },
  'catalog.entity.delete': { finance: DENY, hospital: DENY },
  'catalog.entity.refresh': { finance: DENY, hospital: DENY },
  'catalog.entity.validate': { finance: DENY, hospital: DENY },
  'catalog.location.read': { finance: DENY, hospital: DENY },
  'catalog.location.create': { finance: DENY, hospital: DENY },
  'catalog.location.analyze': { finance: DENY, hospital: DENY },
  'catalog.location.delete': { finance: DENY, hospital: DENY },
  'catalog.ingestion.read': { finance: DENY, hospital: DENY },
  'catalog.ingestion.manage': { finance: DENY, hospital: DENY },
  'hospital-tenants.tenant.provision': { finance: DENY, hospital: DENY },
  'hospital-tenants.tenant.read': { finance: DENY, hospital: CONDITIONAL },
  'hospital-tenants.cost.read': { finance: ALLOW, hospital: CONDITIONAL },
  'hospital-tenants.sla.read': { finance: DENY, hospital: CONDITIONAL },
  'scaffolder.action.execute': { finance: DENY, hospital: DENY },
  'scaffolder.task.cancel': { finance: DENY, hospital: DENY },
  'scaffolder.task.create': { finance: DENY, hospital: DENY },
  'scaffolder.task.read': { finance: DENY, hospital: DENY },
  'scaffolder.template.dry-run': { finance: DENY, hospital: DENY },
  'scaffolder.template.management': { finance: DENY, hospital: DENY },
  'scaffolder.template.parameter.read': { finance: DENY, hospital: DENY },
  'scaffolder.template.step.read': { finance: DENY, hospital: DENY },
  'kubernetes.clusters.read': { finance: DENY, hospital: DENY },
  'kubernetes.proxy': { finance: DENY, hospital: DENY },
  'kubernetes.resources.read': { finance: DENY, hospital: DENY },
};

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
        () => catalogRefs(server, PLATFORM_USER, 'kind=resource,kind=template'),
        refs => refs.length === 4,
      );
      await eventually(
        () => searchRefs(server, PLATFORM_USER, 'hospital'),
        refs => TENANTS.every(t => refs.includes(t)),
      );
    });

    afterAll(async () => {
      await backend?.stop();
      fs.rmSync(path.dirname(tenantsFile), { recursive: true, force: true });
    });

    it('has an explicit decision for each role on every permission the portal registers', async () => {
      const registered = new Map<string, any>();
      for (const pluginId of PORTAL_PLUGIN_IDS) {
        const res = await request(server)
          .get(`/api/${pluginId}/.well-known/backstage/permissions/metadata`)
          .set('Authorization', mockCredentials.service.header());
        // A plugin that never asks for the permissions registry has no such
        // route (and registers nothing).
        expect({ pluginId, status: [200, 404].includes(res.status) }).toEqual({
          pluginId,
          status: true,
        });
        for (const permission of res.body.permissions ?? []) {
          registered.set(permission.name, permission);
        }
      }
      // The plugins that do register permissions were read.
      expect([...registered.keys()]).toEqual(
        expect.arrayContaining([
          'catalog.entity.read',
          'scaffolder.task.create',
          'kubernetes.proxy',
          'hospital-tenants.tenant.provision',
        ]),
      );

      const portalPolicy = HospitalTenantsPermissionPolicy.fromConfig(
        mockServices.rootConfig({ data: {} }),
        { hospitalGroups: async () => ['group:default/hospital-sao-joao'] },
      );
      const callers = {
        finance: ['user:default/fatima.finance', 'group:default/finance'],
        hospital: [SANTA_MARIA_USER, 'group:default/hospital-santa-maria'],
      };
      const missing: string[] = [];
      const wrong: string[] = [];
      for (const [name, permission] of registered) {
        if (!EXPECTED[name] || !ROLE_DECISIONS[name]) {
          missing.push(name);
          continue;
        }
        for (const role of ['finance', 'hospital'] as const) {
          const decision = await portalPolicy.handle(
            { permission },
            {
              credentials: mockCredentials.user(callers[role][0]),
              info: {
                userEntityRef: callers[role][0],
                ownershipEntityRefs: callers[role],
              },
            },
          );
          if (decision.result !== EXPECTED[name][role]) {
            wrong.push(`${name} for ${role}: ${decision.result}`);
          }
        }
        const platform = await portalPolicy.handle(
          { permission },
          {
            credentials: mockCredentials.user(PLATFORM_USER),
            info: {
              userEntityRef: PLATFORM_USER,
              ownershipEntityRefs: ['group:default/platform-engineering'],
            },
          },
        );
        if (platform.result !== ALLOW) {
          wrong.push(`${name} for platform: ${platform.result}`);
        }
      }
      expect({ missing, wrong }).toEqual({ missing: [], wrong: [] });
    });

    it('shows the guest, a platform engineer, every tenant and the template', async () => {
      expect(
        await catalogRefs(server, PLATFORM_USER, 'spec.type=hospital-tenant'),
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

    it('filters the catalog search results the same way', async () => {
      const tenantsIn = (refs: string[]) =>
        refs.filter(ref => TENANTS.includes(ref) || ref === TEMPLATE);

      expect(
        tenantsIn(await searchRefs(server, PLATFORM_USER, 'hospital')),
      ).toEqual([...TENANTS, TEMPLATE].sort());
      expect(
        tenantsIn(await searchRefs(server, SANTA_MARIA_USER, 'hospital')),
      ).toEqual(['resource:default/hospital-santa-maria']);
      expect(
        tenantsIn(await searchRefs(server, SAO_JOAO_USER, 'hospital')),
      ).toEqual(['resource:default/hospital-sao-joao']);
      expect(await searchRefs(server, PLATFORM_USER, 'provision')).toContain(
        TEMPLATE,
      );
      expect(
        await searchRefs(server, SANTA_MARIA_USER, 'provision'),
      ).not.toContain(TEMPLATE);
    });

    it('gives hospital users and finance no Kubernetes data', async () => {
      const guest = await get(
        server,
        PLATFORM_USER,
        '/api/kubernetes/clusters',
      );
      expect(guest.status).toBe(200);
      expect(guest.body.items.map((c: any) => c.name)).toEqual(['management']);
      for (const user of [SANTA_MARIA_USER, FINANCE_USER]) {
        expect(
          (await get(server, user, '/api/kubernetes/clusters')).status,
        ).toBe(403);
        const workloads = await request(server)
          .post('/api/kubernetes/services/hospital-santa-maria')
          .set('Authorization', mockCredentials.user.header(user))
          .send({
            entity: {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: { name: 'hospital-santa-maria' },
            },
          });
        expect(workloads.status).toBe(403);
      }
    });

    it('gives hospital users and finance no provisioning template and no task', async () => {
      const schema = (user: string) =>
        get(
          server,
          user,
          '/api/scaffolder/v2/templates/default/template/provision-something/parameter-schema',
        );
      expect((await schema(PLATFORM_USER)).status).toBe(200);
      for (const user of [SANTA_MARIA_USER, FINANCE_USER]) {
        expect([403, 404]).toContain((await schema(user)).status);
        const task = await request(server)
          .post('/api/scaffolder/v2/tasks')
          .set('Authorization', mockCredentials.user.header(user))
          .send({ templateRef: TEMPLATE, values: { name: 'x' } });
        expect([403, 404]).toContain(task.status);
        expect(task.body.id).toBeUndefined();
        // nobody else's provisioning inputs either
        const tasks = await get(server, user, '/api/scaffolder/v2/tasks');
        expect(
          tasks.status === 403 ||
            (tasks.status === 200 && tasks.body.tasks.length === 0),
        ).toBe(true);
      }
    });

    it("lists the scaffolder's actions with fictitious hospitals only", async () => {
      const res = await get(
        server,
        SANTA_MARIA_USER,
        '/api/scaffolder/v2/actions',
      );
      expect(res.status).toBe(200);
      const ours = (res.body as any[]).filter(a =>
        a.id.startsWith('hospital:tenant:'),
      );
      expect(ours.map(a => a.id).sort()).toEqual([
        'hospital:tenant:provision',
        'hospital:tenant:render',
      ]);
      expect(JSON.stringify(ours)).not.toMatch(
        /santa-maria|sao-joao|são joão|santa maria|real-hospital|portugu/i,
      );
    });
  },
);
