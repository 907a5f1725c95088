import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { tenantControlPlaneToEntity } from '@prontuario/plugin-catalog-backend-module-hospital-tenants';
import hospitalTenantsPlugin from '@prontuario/plugin-hospital-tenants-backend';
import {
  CostSimulator,
  loadReferenceTenants,
  startCostSimulator,
} from '@prontuario/upstream-simulators';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import policyModule from '../modules/permissionPolicy';
import {
  authWithPluginActor,
  getTenantApi,
} from '../__testUtils__/testServices';

/**
 * The cost routes through the real permission backend and the portal's
 * policy, the tenant entities as the entity provider emits them (budget and
 * daily users from their annotations), and the Kubecost simulator.
 */

const repoRoot = path.resolve(__dirname, '../../../..');
const PLATFORM_USER = 'user:default/ana.platform';
const SANTA_MARIA_USER = 'user:default/sofia.santamaria';

const ownership = new Map<string, string[]>();
for (const doc of parseAllDocuments(
  fs.readFileSync(path.join(repoRoot, 'examples/org.yaml'), 'utf8'),
).map(d => d.toJSON())) {
  if (doc?.kind === 'User') {
    const ref = `user:default/${doc.metadata.name}`;
    ownership.set(ref, [
      ref,
      ...(doc.spec.memberOf as string[]).map(g => `group:default/${g}`),
    ]);
  }
}

const userInfoFromOrg = createServiceFactory({
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

jest.setTimeout(120_000);

describe('the cost routes with the portal policy', () => {
  let kubecost: CostSimulator;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    kubecost = await startCostSimulator({ kind: 'kubecost' });
    const tenants = await loadReferenceTenants(repoRoot);
    backend = await startTestBackend({
      features: [
        hospitalTenantsPlugin,
        permissionPlugin,
        policyModule,
        userInfoFromOrg,
        authWithPluginActor,
        // the cost refresh (initial delay) runs once at start
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
        catalogServiceMock.factory({
          entities: tenants.map(t =>
            tenantControlPlaneToEntity(
              t.management.find(o => o.kind === 'TenantControlPlane')!,
            ),
          ),
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            permission: { enabled: true },
            hospitalTenants: {
              api: { warmupSeconds: 0, validateResponses: true },
              cost: { source: { product: 'kubecost', baseUrl: kubecost.url } },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await kubecost?.stop();
  });

  const get = (route: string, user?: string) =>
    getTenantApi(backend.server, route, user);

  it("serves sofia her tenant's cost with its budget, and nothing of the others", async () => {
    const own = await get(
      '/tenants/hospital-santa-maria/cost',
      SANTA_MARIA_USER,
    );
    expect(own.status).toBe(200);
    expect(own.body.previousMonth.total).toBe(34300);
    expect(own.body.budget).toMatchObject({
      monthlyBrl: 35000,
      previousMonthStatus: 'at-risk',
    });
    expect(own.body.dailyUsers).toBe(500);
    const other = await get(
      '/tenants/hospital-sao-joao/cost',
      SANTA_MARIA_USER,
    );
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe('No tenant hospital-sao-joao');
    const summary = await get('/costs/summary', SANTA_MARIA_USER);
    expect(summary.status).toBe(200);
    expect(summary.body.total).toBe(34300);
    expect(summary.body.tenants.map((t: any) => t.tenantId)).toEqual([
      'hospital-santa-maria',
    ]);
  });

  it('serves a platform engineer every tenant: R$ 58.000 and one CSV row per tenant', async () => {
    const summary = await get('/costs/summary', PLATFORM_USER);
    expect(summary.body.total).toBe(58000);
    expect(
      summary.body.tenants.map((t: any) => [t.tenantId, t.budgetStatus]),
    ).toEqual([
      ['hospital-santa-maria', 'at-risk'],
      ['hospital-sao-joao', 'over'],
      ['real-hospital-portugues', 'at-risk'],
    ]);
    const csv = await get('/costs/summary?dialect=en', PLATFORM_USER).set(
      'Accept',
      'text/csv',
    );
    expect(csv.text.trim().split('\r\n')).toHaveLength(4);
  });

  it('refuses a request without a token', async () => {
    expect((await get('/costs/summary')).status).toBe(401);
    expect((await get('/tenants/hospital-sao-joao/cost')).status).toBe(401);
  });
});
