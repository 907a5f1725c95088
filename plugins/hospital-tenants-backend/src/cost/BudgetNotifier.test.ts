import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import {
  BudgetNoticeSettings,
  BudgetNotifier,
  readBudgetNoticeSettings,
} from './BudgetNotifier';
import { CostSettings } from './config';
import { CostStore, DaySnapshot } from './CostStore';

jest.setTimeout(60_000);

/** 09:00 in São Paulo on November 30: 29 complete days of November */
const NOW = new Date('2026-11-30T12:00:00Z');
const now = () => NOW;

const SETTINGS: CostSettings = {
  product: 'kubecost',
  baseUrl: 'http://kubecost.invalid',
  currency: 'BRL',
  timeZone: 'America/Sao_Paulo',
  managementCluster: 'management',
  clusterTemplate: '{slug}',
  overrides: {},
  tenantLabel: 'hospital_tenants_io_tenant',
  sharedNamespaces: ['kube-system'],
  includeManagementIdle: true,
  sharedFraction: 1,
  refreshMinutes: 60,
  reconcileDays: 3,
  backfillMonths: 2,
  atRiskPercent: 90,
  staleAfterMs: 3 * 3600_000,
};

const NOTICES: BudgetNoticeSettings = {
  enabled: true,
  financeGroup: 'group:default/finance',
  language: 'en',
};

const zero = {
  cpu: 0,
  ram: 0,
  gpu: 0,
  pv: 0,
  network: 0,
  loadBalancer: 0,
  shared: 0,
  external: 0,
};

/** R$ 1.000 a day from November 1 to 29 and R$ 500 so far today: month to date R$ 29.500, forecast R$ 30.000 */
function november(tenantId: string): DaySnapshot[] {
  return Array.from({ length: 30 }, (_, i) => {
    const total = i === 29 ? 500 : 1000;
    return {
      tenantId,
      day: `2026-11-${String(i + 1).padStart(2, '0')}`,
      totalBrl: total,
      detail: {
        workloads: { ...zero, cpu: total },
        controlPlane: zero,
        platformShare: 0,
        idleExcluded: 0,
        efficiency: { cpuWeighted: 0, cpu: 0, ramWeighted: 0, ram: 0 },
      },
      refreshedAt: NOW.toISOString(),
    };
  });
}

const NAMES: Record<string, string> = {
  'hospital-santa-maria': 'Hospital Santa Maria',
  'hospital-sao-joao': 'Hospital São João',
  'real-hospital-portugues': 'Real Hospital Português',
};

function tenants(budgets: Record<string, number>) {
  return Object.entries(budgets).map(([tenantId, monthlyBudgetBrl]) => ({
    tenant: {
      tenantId,
      entityRef: `resource:default/${tenantId}`,
      owner: `group:default/${tenantId}`,
    },
    facts: { displayName: NAMES[tenantId], monthlyBudgetBrl, dailyUsers: 100 },
  }));
}

/** forecast R$ 30.000 against: 93.75 % (at risk), over, 75 % (under) */
const BUDGETS = {
  'hospital-santa-maria': 32000,
  'hospital-sao-joao': 29000,
  'real-hospital-portugues': 40000,
};

function notifier(
  store: CostStore,
  settings: Partial<BudgetNoticeSettings> = {},
) {
  const sent: NotificationSendOptions[] = [];
  const send = jest.fn(async (options: NotificationSendOptions) => {
    sent.push(options);
  });
  const instance = new BudgetNotifier({
    store,
    costSettings: SETTINGS,
    settings: { ...NOTICES, ...settings },
    notifications: { send },
    logger: mockServices.logger.mock(),
    now,
  });
  return { instance, sent, send };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'budget notifications on %p',
  databaseId => {
    const extra: Knex[] = [];
    afterAll(async () => {
      await Promise.all(extra.map(k => k.destroy()));
    });

    /** The store, and a second one on its own connection to the same database (a second replica) where the engine allows it. */
    async function stores(): Promise<[CostStore, CostStore]> {
      const knex = await databases.init(databaseId);
      const store = await CostStore.create(mockServices.database({ knex }));
      for (const id of Object.keys(BUDGETS)) await store.putDays(november(id));
      for (const id of Object.keys(BUDGETS)) {
        await store.putState({
          tenantId: id,
          source: 'kubecost',
          refreshedAt: NOW.toISOString(),
        });
      }
      if (databaseId === 'SQLITE_3') {
        // an in-memory SQLite database has one connection
        return [store, new CostStore(knex)];
      }
      const other = knexFactory({
        client: knex.client.config.client,
        connection: knex.client.config.connection,
        pool: { min: 0, max: 2 },
      });
      extra.push(other);
      return [store, new CostStore(other)];
    }

    it('two replicas checking at once send one notification per tenant and level, to the owner and finance', async () => {
      const [storeA, storeB] = await stores();
      const a = notifier(storeA);
      const b = notifier(storeB);
      const [sentA, sentB] = await Promise.all([
        a.instance.check(tenants(BUDGETS)),
        b.instance.check(tenants(BUDGETS)),
      ]);
      const all = [...a.sent, ...b.sent];
      expect(all).toHaveLength(2);
      expect(
        [...sentA, ...sentB].sort((x, y) =>
          x.tenantId.localeCompare(y.tenantId),
        ),
      ).toEqual([
        {
          tenantId: 'hospital-santa-maria',
          period: '2026-11',
          level: 'at-risk',
        },
        { tenantId: 'hospital-sao-joao', period: '2026-11', level: 'over' },
      ]);

      const santaMaria = all.find(n =>
        n.payload.link?.endsWith('/hospital-santa-maria'),
      )!;
      expect(santaMaria.recipients).toEqual({
        type: 'entity',
        entityRef: [
          'group:default/hospital-santa-maria',
          'group:default/finance',
        ],
      });
      expect(santaMaria.payload).toMatchObject({
        title:
          'Hospital Santa Maria: cost at risk of exceeding the budget in 2026-11',
        link: '/catalog/default/resource/hospital-santa-maria',
        severity: 'normal',
        topic: 'hospital-tenants.budget',
      });
      expect(santaMaria.payload.description).toContain('R$30,000.00');
      expect(santaMaria.payload.description).toContain(
        '93.8 % of the R$32,000.00',
      );
      expect(santaMaria.payload.description).toContain('R$29,500.00');
      // it names no other tenant
      const text = JSON.stringify(santaMaria);
      for (const other of ['hospital-sao-joao', 'real-hospital-portugues']) {
        expect(text).not.toContain(other);
        expect(text).not.toContain(NAMES[other]);
      }
      const saoJoao = all.find(n =>
        n.payload.link?.endsWith('/hospital-sao-joao'),
      )!;
      expect(saoJoao.payload.severity).toBe('high');
      expect(saoJoao.payload.title).toContain('over the budget');
    });

    it('sends nothing again after a restart, nor for a tenant under budget', async () => {
      const [store] = await stores();
      await notifier(store).instance.check(tenants(BUDGETS));
      const restarted = notifier(store);
      expect(await restarted.instance.check(tenants(BUDGETS))).toEqual([]);
      expect(restarted.send).not.toHaveBeenCalled();

      const [fresh] = await stores();
      const under = notifier(fresh);
      expect(
        await under.instance.check(
          tenants({ 'real-hospital-portugues': 40000 }),
        ),
      ).toEqual([]);
      expect(under.send).not.toHaveBeenCalled();
    });

    it('sends "over" after "at risk", and no "at risk" once "over" was sent', async () => {
      const [store] = await stores();
      const n = notifier(store);
      await n.instance.check(tenants({ 'hospital-santa-maria': 32000 }));
      await n.instance.check(tenants({ 'hospital-santa-maria': 29000 }));
      await n.instance.check(tenants({ 'hospital-santa-maria': 32000 }));
      expect(n.sent.map(s => s.payload.severity)).toEqual(['normal', 'high']);
      expect(
        await store.budgetNoticeLevels('hospital-santa-maria', '2026-11'),
      ).toEqual(expect.arrayContaining(['at-risk', 'over']));
    });

    it('gives the claim back when sending fails, so the next refresh sends it', async () => {
      const [store] = await stores();
      const n = notifier(store);
      n.send.mockRejectedValueOnce(new Error('notifications backend is down'));
      expect(
        await n.instance.check(tenants({ 'hospital-sao-joao': 29000 })),
      ).toEqual([]);
      expect(
        await store.budgetNoticeLevels('hospital-sao-joao', '2026-11'),
      ).toEqual([]);
      expect(
        await n.instance.check(tenants({ 'hospital-sao-joao': 29000 })),
      ).toHaveLength(1);
      expect(n.sent).toHaveLength(1);
    });

    it('writes Portuguese with Brazilian money, and sends nothing when switched off', async () => {
      const [store] = await stores();
      const pt = notifier(store, { language: 'pt-BR' });
      await pt.instance.check(tenants({ 'hospital-santa-maria': 32000 }));
      expect(pt.sent[0].payload.title).toBe(
        'Hospital Santa Maria: custo em risco de ultrapassar o orçamento em 2026-11',
      );
      expect(pt.sent[0].payload.description).toMatch(
        /R\$\s30\.000,00 \(93,8 % do orçamento mensal de R\$\s32\.000,00\)/,
      );

      const [other] = await stores();
      const off = notifier(other, { enabled: false });
      expect(await off.instance.check(tenants(BUDGETS))).toEqual([]);
      expect(off.send).not.toHaveBeenCalled();
    });
  },
);

describe('readBudgetNoticeSettings', () => {
  it('reads the finance group of the permission policy, in lower case', () => {
    expect(
      readBudgetNoticeSettings(
        mockServices.rootConfig({
          data: {
            hospitalTenants: {
              permissions: { financeGroup: 'group:default/FinOps' },
              cost: { notifications: { language: 'en' } },
            },
          },
        }),
      ),
    ).toEqual({
      enabled: true,
      financeGroup: 'group:default/finops',
      language: 'en',
    });
  });

  it('refuses an unknown language', () => {
    expect(() =>
      readBudgetNoticeSettings(
        mockServices.rootConfig({
          data: {
            hospitalTenants: { cost: { notifications: { language: 'fr' } } },
          },
        }),
      ),
    ).toThrow(/must be en or pt-BR/);
  });
});
