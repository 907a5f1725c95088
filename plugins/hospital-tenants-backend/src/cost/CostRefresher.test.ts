import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  CostSimulator,
  CostSimulatorKind,
  startCostSimulator,
} from '@prontuario/upstream-simulators';
import { CostSettings } from './config';
import { CostReadService } from './CostReadService';
import { CostRefresher } from './CostRefresher';
import { CostStore } from './CostStore';

jest.setTimeout(60_000);

const REFERENCE = [
  'hospital-santa-maria',
  'hospital-sao-joao',
  'real-hospital-portugues',
];
const FACTS: Record<string, { monthlyBudgetBrl: number; dailyUsers: number }> =
  {
    'hospital-santa-maria': { monthlyBudgetBrl: 35000, dailyUsers: 500 },
    'hospital-sao-joao': { monthlyBudgetBrl: 8000, dailyUsers: 150 },
    'real-hospital-portugues': { monthlyBudgetBrl: 15000, dailyUsers: 300 },
  };
/** 09:00 in São Paulo on the last day of November: October is the last complete month */
const NOW = new Date('2026-11-30T12:00:00Z');
const now = () => NOW;

function settingsFor(
  sim: CostSimulator,
  overrides: Partial<CostSettings> = {},
): CostSettings {
  return {
    product: sim.kind,
    baseUrl: sim.url,
    currency: 'BRL',
    timeZone: 'America/Sao_Paulo',
    managementCluster: 'management',
    clusterTemplate: '{slug}',
    overrides: {},
    tenantLabel: 'hospital_tenants_io_tenant',
    sharedNamespaces: ['postgres-system', 'kamaji-system', 'kube-system'],
    includeManagementIdle: true,
    sharedFraction: 1,
    refreshMinutes: 60,
    reconcileDays: 3,
    backfillMonths: 2,
    atRiskPercent: 90,
    staleAfterMs: 3 * 3600_000,
    ...overrides,
  };
}

const record = (tenantId: string) => ({
  tenantId,
  entityRef: `resource:default/${tenantId}`,
  owner: `group:default/${tenantId}`,
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function storeOn(databaseId: any) {
  const knex = await databases.init(databaseId);
  return CostStore.create(mockServices.database({ knex }));
}

describe.each(databases.eachSupportedId())('cost refresh on %p', databaseId => {
  const sims: CostSimulator[] = [];
  afterAll(async () => {
    await Promise.all(sims.map(s => s.stop()));
  });
  async function sim(kind: CostSimulatorKind, extra: object = {}) {
    const s = await startCostSimulator({ kind, now, ...extra });
    sims.push(s);
    return s;
  }

  it.each(['kubecost', 'opencost'] as const)(
    'attributes the reference month exactly from %s',
    async kind => {
      const store = await storeOn(databaseId);
      const source = await sim(kind);
      const settings = settingsFor(source);
      const refresher = new CostRefresher({
        settings,
        store,
        logger: mockServices.logger.mock(),
        now,
      });
      const written = await refresher.refresh(REFERENCE);
      // backfill: September 1 to November 30
      expect([...written.values()]).toEqual([91, 91, 91]);
      const read = new CostReadService(store, settings, now);
      const summary = await read.summary(
        REFERENCE.map(id => ({ tenant: record(id), facts: FACTS[id] })),
        read.defaultPeriod(),
      );
      expect(summary.period).toBe('2026-10');
      expect(summary.total).toBe(58000);
      expect(
        Object.fromEntries(summary.tenants.map(t => [t.tenantId, t.total])),
      ).toEqual({
        'hospital-santa-maria': 34300,
        'hospital-sao-joao': 9900,
        'real-hospital-portugues': 13800,
      });
      expect(summary.byCategory).toEqual({
        compute: 34800,
        storage: 14500,
        network: 5800,
        shared: 2900,
      });
      expect(summary.growthPercent).toBe(12);
      expect(
        Object.fromEntries(
          summary.tenants.map(t => [t.tenantId, t.budgetStatus]),
        ),
      ).toEqual({
        'hospital-santa-maria': 'at-risk',
        'hospital-sao-joao': 'over',
        // 92 % of R$ 15.000: at risk by the ≥ 90 % rule
        'real-hospital-portugues': 'at-risk',
      });
      expect(summary.savings).toEqual(
        kind === 'kubecost'
          ? { available: true, monthlyTotal: 12000 }
          : { available: false, reason: 'not available from OpenCost' },
      );

      const cost = await read.tenantCost(
        record('hospital-santa-maria'),
        FACTS['hospital-santa-maria'],
      );
      expect(cost.previousMonth.total).toBe(34300);
      // the monthly history: the backfilled months and the current one
      expect(
        cost.monthly.map(m => [m.period, m.complete, m.budgetStatus]),
      ).toEqual([
        ['2026-09', true, expect.any(String)],
        ['2026-10', true, 'at-risk'],
        ['2026-11', false, expect.any(String)],
      ]);
      expect(cost.monthly[1].total).toBe(34300);
      expect(cost.monthly[2].total).toBe(cost.monthToDate.total);
      // 5 % control plane, 90 % own cluster, 5 % platform share
      expect(cost.previousMonth.components).toEqual({
        workloads: 30870,
        controlPlane: 1715,
        platformShare: 1715,
      });
      expect(cost.previousMonth.idleExcluded).toBeGreaterThan(0);
      expect(cost.monthToDate.period).toBe('2026-11');
      expect(cost.daily).toHaveLength(61);
      expect(cost.forecast.method).toMatch(/run rate/);
      expect(cost.forecast.total).toBeGreaterThan(30000);
      expect(cost.costPerDailyUser?.previousMonth).toBe(68.6);
      expect(cost.efficiency?.cpu).toBeGreaterThan(0);
      expect(cost.stale).toBe(false);
    },
  );

  it('re-pulls the days the source revised, and only the recent ones', async () => {
    const store = await storeOn(databaseId);
    const source = await sim('kubecost');
    const settings = settingsFor(source);
    const refresher = new CostRefresher({
      settings,
      store,
      logger: mockServices.logger.mock(),
      now,
    });
    await refresher.refresh(['hospital-sao-joao']);
    const before = await store.days(
      ['hospital-sao-joao'],
      '2026-11-28',
      '2026-11-29',
    );
    source.model.revise('hospital-sao-joao', '2026-11-28', 1.5);
    source.model.revise('hospital-sao-joao', '2026-10-05', 1.5);
    const written = await refresher.refresh(['hospital-sao-joao']);
    // the last three days and today
    expect(written.get('hospital-sao-joao')).toBe(4);
    const after = await store.days(
      ['hospital-sao-joao'],
      '2026-11-28',
      '2026-11-29',
    );
    expect(after[0].detail.workloads.cpu).toBeCloseTo(
      before[0].detail.workloads.cpu * 1.5,
      5,
    );
    const old = await store.days(
      ['hospital-sao-joao'],
      '2026-10-05',
      '2026-10-06',
    );
    expect(old[0].refreshedAt).toBe(before[0].refreshedAt);
  });

  it('refuses a source configured in another currency, and keeps the last numbers', async () => {
    const store = await storeOn(databaseId);
    const source = await sim('opencost');
    const settings = settingsFor(source);
    const refresher = new CostRefresher({
      settings,
      store,
      logger: mockServices.logger.mock(),
      now,
    });
    await refresher.refresh(REFERENCE);
    source.setCurrency('USD');
    await expect(refresher.refresh(REFERENCE)).rejects.toThrow(
      /configured in USD, but tenant budgets are in BRL; costs are never converted/,
    );
    const read = new CostReadService(store, settings, now);
    const cost = await read.tenantCost(
      record('hospital-sao-joao'),
      FACTS['hospital-sao-joao'],
    );
    expect(cost.previousMonth.total).toBe(9900);
  });

  it('serves the last snapshots, stale, when the source fails; 503 with none', async () => {
    const store = await storeOn(databaseId);
    const source = await sim('kubecost');
    const settings = settingsFor(source);
    const logger = mockServices.logger.mock();
    const refresher = new CostRefresher({ settings, store, logger, now });
    await refresher.refresh(REFERENCE);
    // the source answers 502: the refresh fails and writes nothing
    source.fail({ path: '/model/allocation', status: 502, times: 100 });
    await expect(refresher.refresh(REFERENCE)).rejects.toThrow(/HTTP 502/);
    const later = new Date(NOW.getTime() + 4 * 3600_000);
    const read = new CostReadService(store, settings, () => later, 0);
    const cost = await read.tenantCost(
      record('hospital-sao-joao'),
      FACTS['hospital-sao-joao'],
    );
    expect(cost.previousMonth.total).toBe(9900);
    expect(cost.stale).toBe(true);
    expect(cost.asOf).toBe(NOW.toISOString());
    const fresh = new CostReadService(store, settings, now, 0);
    expect(
      (await fresh.tenantCost(record('hospital-sao-joao'), {})).stale,
    ).toBe(false);
    await expect(
      fresh.tenantCost(record('hospital-nunca-lido'), {}),
    ).rejects.toThrow(/No cost data yet/);
  });

  it("keeps the others' platform share when one tenant's cluster fails", async () => {
    const store = await storeOn(databaseId);
    const source = await sim('kubecost');
    const logger = mockServices.logger.mock();
    await new CostRefresher({
      settings: settingsFor(source),
      store,
      logger,
      now,
    }).refresh(REFERENCE);
    const day = '2026-11-29';
    const [before] = await store.days(
      ['hospital-santa-maria'],
      day,
      '2026-11-30',
    );
    // São João's own cluster is unreachable this run
    const broken = settingsFor(source, {
      overrides: { 'hospital-sao-joao': { baseUrl: 'http://127.0.0.1:9' } },
    });
    const written = await new CostRefresher({
      settings: broken,
      store,
      logger,
      now: () => new Date(NOW.getTime() + 60_000),
    }).refresh(REFERENCE);
    expect([...written.keys()].sort()).toEqual([
      'hospital-santa-maria',
      'real-hospital-portugues',
    ]);
    const [after] = await store.days(
      ['hospital-santa-maria'],
      day,
      '2026-11-30',
    );
    expect(after.refreshedAt).not.toBe(before.refreshedAt);
    expect(after.detail.platformShare).toBeCloseTo(
      before.detail.platformShare,
      6,
    );
    const states = await store.states(['hospital-sao-joao']);
    expect(states.get('hospital-sao-joao')?.lastError).toMatch(
      /unreachable|failed/,
    );
  });

  it('follows the base URL: another Kubecost answers other numbers', async () => {
    const store = await storeOn(databaseId);
    const other = await sim('kubecost', { scale: 2 });
    const settings = settingsFor(other);
    await new CostRefresher({
      settings,
      store,
      logger: mockServices.logger.mock(),
      now,
    }).refresh(REFERENCE);
    const read = new CostReadService(store, settings, now);
    const summary = await read.summary(
      REFERENCE.map(id => ({ tenant: record(id), facts: FACTS[id] })),
      '2026-10',
    );
    expect(summary.total).toBe(116000);
  });

  it('reads a tenant cluster through a URL template, and a tenant created later', async () => {
    const store = await storeOn(databaseId);
    const source = await sim('opencost');
    const settings = settingsFor(source, {
      baseUrlTemplate: `${source.url}/clusters/{slug}`,
    });
    const refresher = new CostRefresher({
      settings,
      store,
      logger: mockServices.logger.mock(),
      now,
    });
    await refresher.refresh([...REFERENCE, 'hospital-novo']);
    expect(
      source.requests.some(r => r.query.filter === 'cluster:"hospital-novo"'),
    ).toBe(true);
    const read = new CostReadService(store, settings, now);
    const october = await read.summary(
      [...REFERENCE, 'hospital-novo'].map(id => ({
        tenant: record(id),
        facts: {},
      })),
      '2026-10',
    );
    expect(october.total).toBe(58000);
    const novo = await read.tenantCost(record('hospital-novo'), {});
    expect(novo.previousMonth.total).toBe(0);
    expect(novo.monthToDate.total).toBeGreaterThan(1000);
  });
});
