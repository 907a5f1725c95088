import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  CostSimulator,
  REFERENCE_COSTS,
  startCostSimulator,
} from '@prontuario/upstream-simulators';
import {
  costSummarySchema,
  tenantCostSchema,
  tenantListSchema,
} from '@prontuario/plugin-hospital-tenants-common';
import request from 'supertest';
import { hospitalTenantsPlugin } from '../plugin';
import {
  eventually,
  fakePermissions,
  REFERENCE_TENANTS,
  tenantEntity,
} from '../__testUtils__/tenantApiHarness';

jest.setTimeout(120_000);

const PLATFORM = mockCredentials.user.header('user:default/platform');
const SANTA_MARIA = mockCredentials.user.header(
  'user:default/owner-hospital-santa-maria',
);
const FINANCE = mockCredentials.user.header('user:default/finance');

const BUDGETS: Record<string, string> = {
  'hospital-santa-maria': '35000',
  'hospital-sao-joao': '8000',
  'real-hospital-portugues': '15000',
};

function entities() {
  return REFERENCE_TENANTS.map(slug => {
    const e = tenantEntity(slug);
    e.metadata.annotations = {
      ...e.metadata.annotations,
      'hospital-tenants.io/monthly-budget-brl': BUDGETS[slug],
      'hospital-tenants.io/daily-users': '500',
      'hospital-tenants.io/display-name': `Hospital ${slug}`,
    };
    return e;
  });
}

const lastMonth = Object.fromEntries(
  Object.entries(REFERENCE_COSTS).map(([k, v]) => [k, v.lastMonthBrl]),
);

type Server = Parameters<typeof request>[0];

async function backendWith(
  sim: CostSimulator | undefined,
  extra: any[] = [],
  cost: object = {},
) {
  const permissions = fakePermissions();
  const backend = await startTestBackend({
    features: [
      hospitalTenantsPlugin,
      permissions.factory,
      catalogServiceMock.factory({ entities: entities() }),
      mockServices.rootConfig.factory({
        data: {
          hospitalTenants: {
            api: { validateResponses: true, warmupSeconds: 0 },
            ...(sim && {
              cost: {
                source: { product: sim.kind, baseUrl: sim.url },
                ...cost,
              },
            }),
          },
        },
      }),
      ...extra,
    ],
  });
  return backend;
}

describe('the cost API', () => {
  let sim: CostSimulator;
  let server: Server;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sim = await startCostSimulator({ kind: 'kubecost' });
    const backend = await backendWith(sim, [
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
    ]);
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    await sim?.stop();
  });

  const get = (path: string, auth: string) =>
    request(server)
      .get(`/api/hospital-tenants${path}`)
      .set('Authorization', auth);

  it("serves the owner their tenant's cost, from snapshots only", async () => {
    const res = await eventually(
      () => get('/tenants/hospital-santa-maria/cost', SANTA_MARIA),
      r => r.status === 200,
    );
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body.previousMonth.total).toBe(34300);
    expect(res.body.budget).toMatchObject({
      monthlyBrl: 35000,
      previousMonthStatus: 'at-risk',
    });
    expect(res.body.savings).toMatchObject({
      available: true,
      monthlyTotal: 6900,
    });
    const calls = sim.requests.length;
    await get('/tenants/hospital-santa-maria/cost', SANTA_MARIA).expect(200);
    expect(sim.requests.length).toBe(calls);
  });

  it("answers another hospital's tenant like an unknown one", async () => {
    const other = await get('/tenants/hospital-sao-joao/cost', SANTA_MARIA);
    const unknown = await get('/tenants/hospital-nenhum/cost', SANTA_MARIA);
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(other.body.error.message).toBe(
      unknown.body.error.message.replace(
        'hospital-nenhum',
        'hospital-sao-joao',
      ),
    );
  });

  it("lets finance read every tenant's cost, but no status", async () => {
    for (const slug of REFERENCE_TENANTS) {
      const res = await get(`/tenants/${slug}/cost`, FINANCE);
      expect(res.status).toBe(200);
      expect(res.body.previousMonth.total).toBe(lastMonth[slug]);
    }
    await get('/tenants/hospital-sao-joao/status', FINANCE).expect(403);
  });

  it('sums the last complete month over what the caller may see', async () => {
    const platform = await get('/costs/summary', PLATFORM).expect(200);
    expect(platform.body.total).toBe(58000);
    expect(platform.body.growthPercent).toBe(12);
    expect(platform.body.savings).toEqual({
      available: true,
      monthlyTotal: 12000,
    });
    expect(platform.body.tenants).toHaveLength(3);
    const finance = await get('/costs/summary', FINANCE).expect(200);
    expect(finance.body.total).toBe(58000);
    const own = await get('/costs/summary', SANTA_MARIA).expect(200);
    expect(own.body.total).toBe(34300);
    expect(own.body.tenants.map((t: any) => t.tenantId)).toEqual([
      'hospital-santa-maria',
    ]);
    expect(own.body.tenants[0].sharePercent).toBe(100);
    expect(JSON.stringify(own.body)).not.toMatch(/sao-joao|portugues|58000/);
  });

  it('exports CSV in the pt-BR and the English dialect', async () => {
    const pt = await get('/costs/summary?dialect=pt-BR', PLATFORM)
      .set('Accept', 'text/csv')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pt.headers['content-type']).toMatch(/^text\/csv/);
    const bytes: Buffer = pt.body;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].split(';')[0]).toBe('período');
    expect(lines.find(l => l.includes('hospital-santa-maria'))).toMatch(
      /;34300,00;/,
    );
    const en = await get('/costs/summary?dialect=en', PLATFORM)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(en.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(en.text).toMatch(/,34300\.00,/);
    const own = await get('/costs/summary', SANTA_MARIA)
      .set('Accept', 'text/csv')
      .set('Accept-Language', 'pt-BR')
      .expect(200);
    expect(own.text.trim().split('\r\n')).toHaveLength(2);
  });

  it('adds the cost fields to the tenant list where the caller may read cost', async () => {
    const finance = await get('/tenants', FINANCE).expect(200);
    const list = tenantListSchema.parse(finance.body);
    expect(list.items).toHaveLength(3);
    for (const item of list.items) {
      expect(item.summary).toBeUndefined();
      expect(item.cost?.previousMonthBrl).toBe(lastMonth[item.tenantId]);
    }
    const own = tenantListSchema.parse(
      (await get('/tenants', SANTA_MARIA).expect(200)).body,
    );
    expect(own.items.map(i => [i.tenantId, i.cost?.monthlyBudgetBrl])).toEqual([
      ['hospital-santa-maria', 35000],
    ]);
  });

  it('answers what the -common parsers accept', async () => {
    const cost = await get('/tenants/hospital-sao-joao/cost', PLATFORM);
    expect(cost.status).toBe(200);
    expect(tenantCostSchema.safeParse(cost.body).error).toBeUndefined();
    const summary = await get('/costs/summary', PLATFORM);
    expect(summary.status).toBe(200);
    expect(costSummarySchema.safeParse(summary.body).error).toBeUndefined();
  });

  it('refuses a malformed period', async () => {
    expect((await get('/costs/summary?period=2026-13', PLATFORM)).status).toBe(
      400,
    );
    expect((await get('/costs/summary?period=2999-01', PLATFORM)).status).toBe(
      400,
    );
  });
});

describe('the cost API without data', () => {
  it('answers a clear 503 before the first refresh and when cost is not configured', async () => {
    const sim = await startCostSimulator({ kind: 'opencost' });
    sim.fail({ path: '/getConfigs', status: 500, times: 1000 });
    const failing = await backendWith(sim, [
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
    ]);
    const res = await request(failing.server)
      .get('/api/hospital-tenants/tenants/hospital-sao-joao/cost')
      .set('Authorization', PLATFORM);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/No cost data yet/);
    await failing.stop();
    await sim.stop();

    const none = await backendWith(undefined);
    const off = await request(none.server)
      .get('/api/hospital-tenants/costs/summary')
      .set('Authorization', PLATFORM);
    expect(off.status).toBe(503);
    expect(off.body.error.message).toMatch(/not configured/);
    await none.stop();
  });
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('two replicas on one PostgreSQL 15', () => {
  it('refresh each tenant once per refresh, serve the same numbers and send each budget notification once', async () => {
    if (databases.eachSupportedId().length === 0) {
      throw new Error('PostgreSQL 15 is required for this test');
    }
    const knex = await databases.init('POSTGRES_15');
    const sim = await startCostSimulator({ kind: 'opencost' });
    // what both replicas send to the notifications backend
    const sent: NotificationSendOptions[] = [];
    const shared = [
      mockServices.database.factory({ knex }),
      schedulerServiceFactory,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (options: NotificationSendOptions) => {
            sent.push(options);
          },
        }),
      }),
    ];
    // a refresh every 3 s
    const cost = { refreshMinutes: 0.05 };
    const a = await backendWith(sim, shared, cost);
    const b = await backendWith(sim, shared, cost);
    try {
      const poolQueries = () =>
        sim.requests.filter(
          r =>
            r.path === '/allocation/compute' &&
            r.query.aggregate === 'namespace' &&
            r.query.filter?.includes('postgres-system'),
        ).length;
      await eventually(
        async () => poolQueries(),
        n => n >= 3,
        60_000,
      );
      const runs = poolQueries();
      expect(runs).toBeGreaterThanOrEqual(3);
      for (const slug of REFERENCE_TENANTS) {
        const own = sim.requests.filter(
          r =>
            r.path === '/allocation/compute' &&
            r.query.filter === `cluster:"${slug}"`,
        ).length;
        // once per refresh (a run may be under way: at most one ahead)
        expect(Math.abs(own - runs)).toBeLessThanOrEqual(1);
      }
      const [ra, rb] = await Promise.all(
        [a, b].map(backend =>
          request(backend.server)
            .get('/api/hospital-tenants/costs/summary')
            .set('Authorization', PLATFORM),
        ),
      );
      expect(ra.status).toBe(200);
      expect(ra.body.total).toBe(58000);
      expect(rb.body.total).toBe(ra.body.total);
      expect(rb.body.tenants).toEqual(ra.body.tenants);

      // the current month's budget crossings: once each over >= 3 refreshes
      // by two replicas, to the tenant's owner and finance
      const listed = await request(a.server)
        .get('/api/hospital-tenants/tenants')
        .set('Authorization', PLATFORM);
      const crossing = listed.body.items.filter(
        (t: any) => t.cost?.budgetStatus && t.cost.budgetStatus !== 'under',
      );
      expect(crossing.length).toBeGreaterThan(0);
      expect(sent.length).toBeGreaterThanOrEqual(crossing.length);
      const scopes = sent.map(n => n.payload.scope);
      expect(new Set(scopes).size).toBe(scopes.length);
      for (const n of sent) {
        const slug = n.payload.link!.split('/').pop()!;
        expect(n.payload.link).toBe(`/catalog/default/resource/${slug}`);
        expect(n.recipients).toEqual({
          type: 'entity',
          entityRef: [`group:default/${slug}`, 'group:default/finance'],
        });
      }
    } finally {
      await a.stop();
      await b.stop();
      await sim.stop();
    }
  });
});

describe('a tenant the catalog had not ingested at the first refresh', () => {
  it('is refreshed within a minute, not at the next refresh', async () => {
    const sim = await startCostSimulator({ kind: 'kubecost' });
    // the catalog is empty at start-up, then has the tenants
    let ingested = false;
    const full = catalogServiceMock({ entities: entities() });
    const empty = catalogServiceMock({ entities: [] });
    const catalog = createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () =>
        new Proxy(full, {
          get: (_target, property) => {
            const current: any = ingested ? full : empty;
            const value = current[property];
            return typeof value === 'function' ? value.bind(current) : value;
          },
        }),
    });
    const permissions = fakePermissions();
    const backend = await startTestBackend({
      features: [
        hospitalTenantsPlugin,
        permissions.factory,
        catalog,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            hospitalTenants: {
              api: { warmupSeconds: 0, tenantIndexRefreshSeconds: 1 },
              // the regular refresh is an hour away
              cost: { source: { product: 'kubecost', baseUrl: sim.url } },
            },
          },
        }),
      ],
    });
    try {
      const runs = () =>
        sim.requests.filter(
          r =>
            r.path === '/model/allocation' &&
            r.query.filter?.includes('postgres-system'),
        ).length;
      // the first refresh ran over no tenant
      await eventually(
        async () => runs(),
        n => n >= 1,
        30_000,
      );
      ingested = true;
      const res = await eventually(
        () =>
          request(backend.server)
            .get('/api/hospital-tenants/tenants/hospital-santa-maria/cost')
            .set('Authorization', PLATFORM),
        r => r.status === 200,
        90_000,
      );
      expect(res.body.previousMonth.total).toBe(34300);
      expect(runs()).toBe(2);
    } finally {
      await backend.stop();
      await sim.stop();
    }
  });
});
