import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import hospitalTenantsPlugin from '@prontuario/plugin-hospital-tenants-backend';
import { managementClusterReaderServiceRef } from '@prontuario/plugin-hospital-tenants-node';
import {
  PrometheusSimulator,
  startPrometheusSimulator,
} from '@prontuario/upstream-simulators';
import policyModule from '../modules/permissionPolicy';
import {
  authWithPluginActor,
  getTenantApi,
  testDatabaseConfig,
} from '../__testUtils__/testServices';

/**
 * The SLA routes through the real permission backend and the portal's
 * policy module (hospital-tenants.sla.read: owner conditional, platform
 * allowed, finance denied), over the Prometheus simulator, on SQLite and
 * PostgreSQL 15.
 */

const PLATFORM_USER = 'user:default/ana.platform';
const SANTA_MARIA_USER = 'user:default/sofia.santamaria';
const FINANCE_USER = 'user:default/fatima.finance';

const ownership = new Map<string, string[]>([
  [PLATFORM_USER, [PLATFORM_USER, 'group:default/platform-engineering']],
  [SANTA_MARIA_USER, [SANTA_MARIA_USER, 'group:default/hospital-santa-maria']],
  [FINANCE_USER, [FINANCE_USER, 'group:default/finance']],
]);

const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const userEntityRef = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: ownership.get(userEntityRef) ?? [userEntityRef],
      };
    },
  }),
});

/** As in tenantApi.integration.test.ts: user-on-behalf tokens name the calling plugin. */

function tenant(slug: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: slug, namespace: 'default' },
    spec: {
      type: 'hospital-tenant',
      owner: `group:default/${slug}`,
      lifecycle: 'production',
    },
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())(
  'the SLA routes with the portal policy on %s',
  id => {
    let prometheus: PrometheusSimulator;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: {
        skipTaskRunOnStartup?: boolean;
      }): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
    };

    beforeAll(async () => {
      prometheus = await startPrometheusSimulator({ port: 0 });
      backend = await startTestBackend({
        features: [
          hospitalTenantsPlugin,
          permissionPlugin,
          policyModule,
          userInfo,
          authWithPluginActor,
          scheduler.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({
            entities: [
              'hospital-santa-maria',
              'hospital-sao-joao',
              'real-hospital-portugues',
            ].map(tenant),
          }),
          createServiceFactory({
            service: managementClusterReaderServiceRef,
            deps: {},
            factory: () => ({
              identity: 'reader' as const,
              configured: false,
              client: () => {
                throw new ServiceUnavailableError('not in this test');
              },
            }),
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: {
                baseUrl: 'http://localhost:7007',
                database: testDatabaseConfig(id, 'slaapi'),
              },
              permission: { enabled: true },
              hospitalTenants: {
                permissions: {
                  platformGroup: 'group:default/platform-engineering',
                },
                api: { warmupSeconds: 0, validateResponses: true },
                sla: { prometheus: { baseUrl: prometheus.url } },
              },
            },
          }),
        ],
      });
      await scheduler.triggerTask('tenant-index-refresh');
      await scheduler.triggerTask('tenant-sla-refresh');
    });

    afterAll(async () => {
      await backend?.stop();
      await prometheus?.stop();
    });

    const get = (route: string, user?: string) =>
      getTenantApi(backend.server, route, user);

    it("serves the owner their tenant's SLA, and hides another hospital's", async () => {
      const mine = await get(
        '/tenants/hospital-santa-maria/sla',
        SANTA_MARIA_USER,
      );
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ verdict: 'met', alert: 'ok' });
      const history = await get(
        '/tenants/hospital-santa-maria/sla/history?months=2',
        SANTA_MARIA_USER,
      );
      expect(history.status).toBe(200);
      expect(history.body.months).toHaveLength(2);
      expect(
        (await get('/tenants/hospital-sao-joao/sla/history', SANTA_MARIA_USER))
          .status,
      ).toBe(404);
      const other = await get(
        '/tenants/hospital-sao-joao/sla',
        SANTA_MARIA_USER,
      );
      expect(other.status).toBe(404);
      expect(other.body.error.message).toBe('No tenant hospital-sao-joao');
      const report = await get(
        '/tenants/hospital-sao-joao/sla/report?period=2026-01',
        SANTA_MARIA_USER,
      );
      expect(report.status).toBe(404);
    });

    it("refuses finance every tenant's SLA and report (visible tenants: 403), and leaves the verdict out of its list", async () => {
      for (const slug of ['hospital-santa-maria', 'hospital-sao-joao']) {
        const sla = await get(`/tenants/${slug}/sla`, FINANCE_USER);
        expect(sla.status).toBe(403);
        expect(sla.body.error.name).toBe('NotAllowedError');
        const report = await get(
          `/tenants/${slug}/sla/report?period=2026-01`,
          FINANCE_USER,
        );
        expect(report.status).toBe(403);
        const history = await get(`/tenants/${slug}/sla/history`, FINANCE_USER);
        expect(history.status).toBe(403);
      }
      // an unknown tenant stays a 404, so the 403 says nothing new
      expect(
        (await get('/tenants/hospital-nenhum/sla', FINANCE_USER)).status,
      ).toBe(404);
      const list = await get('/tenants', FINANCE_USER);
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBe(3);
      expect(list.body.items.every((i: object) => !('sla' in i))).toBe(true);
    });

    it('serves platform every tenant, refuses no token', async () => {
      const platform = await get(
        '/tenants/hospital-sao-joao/sla',
        PLATFORM_USER,
      );
      expect(platform.status).toBe(200);
      expect(platform.body.alert).toBe('page');
      // the running month where the tenant lives (the default zone)
      const period = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'America/Sao_Paulo',
        year: 'numeric',
        month: '2-digit',
      })
        .format(new Date())
        .slice(0, 7);
      const report = await get(
        `/tenants/hospital-sao-joao/sla/report?period=${period}`,
        PLATFORM_USER,
      );
      expect(report.status).toBe(200);
      expect(report.body.budgetConsumed).toBeGreaterThan(0);
      expect((await get('/tenants/hospital-sao-joao/sla')).status).toBe(401);
    });
  },
);
