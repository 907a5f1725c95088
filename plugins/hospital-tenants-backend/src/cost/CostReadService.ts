import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';
import { TenantListCost } from '@prontuario/plugin-hospital-tenants-common';
import { TenantFacts, TenantRecord } from '../tenants/TenantIndex';
import { groupCategories, sumCategories } from './attribution';
import { CostSettings } from './config';
import { CostStore, DaySnapshot, TenantCostState } from './CostStore';

const cents = (n: number) => Math.round(n * 100) / 100;

export type BudgetStatus = 'under' | 'at-risk' | 'over';

/** Totals of one tenant over some days. */
function totals(days: DaySnapshot[]) {
  const breakdown = { compute: 0, storage: 0, network: 0, shared: 0 };
  const components = { workloads: 0, controlPlane: 0, platformShare: 0 };
  const eff = { cpuWeighted: 0, cpu: 0, ramWeighted: 0, ram: 0 };
  let idleExcluded = 0;
  let total = 0;
  for (const d of days) {
    const w = groupCategories(d.detail.workloads);
    const c = groupCategories(d.detail.controlPlane, d.detail.platformShare);
    for (const k of Object.keys(breakdown) as Array<keyof typeof breakdown>) {
      breakdown[k] += w[k] + c[k];
    }
    components.workloads += sumCategories(d.detail.workloads);
    components.controlPlane += sumCategories(d.detail.controlPlane);
    components.platformShare += d.detail.platformShare;
    idleExcluded += d.detail.idleExcluded;
    eff.cpuWeighted += d.detail.efficiency.cpuWeighted;
    eff.cpu += d.detail.efficiency.cpu;
    eff.ramWeighted += d.detail.efficiency.ramWeighted;
    eff.ram += d.detail.efficiency.ram;
    total += d.totalBrl;
  }
  const round = <T extends Record<string, number>>(o: T): T =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, cents(v)])) as T;
  const cpu = eff.cpu > 0 ? eff.cpuWeighted / eff.cpu : null;
  const ram = eff.ram > 0 ? eff.ramWeighted / eff.ram : null;
  return {
    total: cents(total),
    breakdown: round(breakdown),
    components: round(components),
    idleExcluded: cents(idleExcluded),
    efficiency:
      cpu === null && ram === null
        ? null
        : {
            cpu: cpu === null ? null : Math.round(cpu * 1000) / 1000,
            ram: ram === null ? null : Math.round(ram * 1000) / 1000,
            total:
              eff.cpu + eff.ram > 0
                ? Math.round(
                    ((eff.cpuWeighted + eff.ramWeighted) /
                      (eff.cpu + eff.ram)) *
                      1000,
                  ) / 1000
                : null,
          },
  };
}

/**
 * Cost payloads from the daily snapshots only: nothing here calls Kubecost
 * or OpenCost.
 */
export class CostReadService {
  /**
   * Built payloads, kept a few seconds: snapshots change once per refresh
   * (minutes apart), so a warm route reads no database. Keys hold every
   * input (tenant ids, facts, period), never the caller.
   */
  readonly #memo: LRUCache<string, Promise<unknown>>;

  constructor(
    private readonly store: CostStore,
    private readonly settings: CostSettings,
    private readonly now: () => Date = () => new Date(),
    memoMs = 5000,
  ) {
    this.#memo = new LRUCache({ max: 5000, ttl: Math.max(1, memoMs) });
  }

  #memoised<T>(key: string, build: () => Promise<T>): Promise<T> {
    const hit = this.#memo.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const promise = build();
    this.#memo.set(key, promise);
    // failures are not kept
    promise.catch(() => this.#memo.delete(key));
    return promise;
  }

  #zoneNow() {
    return DateTime.fromJSDate(this.now(), { zone: this.settings.timeZone });
  }

  budgetStatus(spent: number, budget: number | undefined): BudgetStatus | null {
    if (!budget) return null;
    if (spent > budget) return 'over';
    if (spent >= (budget * this.settings.atRiskPercent) / 100) return 'at-risk';
    return 'under';
  }

  #freshness(state: TenantCostState | undefined) {
    const asOf = state?.refreshedAt ?? null;
    const stale =
      !asOf ||
      this.now().getTime() - Date.parse(asOf) > this.settings.staleAfterMs;
    return { asOf, stale };
  }

  /** `GET /tenants/{id}/cost`. */
  tenantCost(tenant: TenantRecord, facts: TenantFacts) {
    return this.#memoised(
      `cost|${tenant.tenantId}|${JSON.stringify(facts)}`,
      () => this.#tenantCost(tenant, facts),
    );
  }

  async #tenantCost(tenant: TenantRecord, facts: TenantFacts) {
    const now = this.#zoneNow();
    const month = now.startOf('month');
    const previous = month.minus({ months: 1 });
    const historyStart = month.minus({ months: 12 });
    const [days, states, history] = await Promise.all([
      this.store.days(
        [tenant.tenantId],
        previous.toISODate()!,
        month.plus({ months: 1 }).toISODate()!,
      ),
      this.store.states([tenant.tenantId]),
      this.store.totals([tenant.tenantId], historyStart.toISODate()!),
    ]);
    const state = states.get(tenant.tenantId);
    if (!state?.refreshedAt) {
      throw new ServiceUnavailableError(
        state?.lastError
          ? `No cost data yet for this tenant: the last refresh failed: ${state.lastError}`
          : 'No cost data yet for this tenant; the first refresh has not finished',
      );
    }
    const current = days.filter(d => d.day >= month.toISODate()!);
    const before = days.filter(d => d.day < month.toISODate()!);
    const mtd = totals(current);
    const prev = totals(before);
    // forecast: the run rate of the complete days of the month, over the whole month
    const completeDays = Math.max(0, now.day - 1);
    const complete = current.filter(
      d => d.day < now.startOf('day').toISODate()!,
    );
    const runRate =
      completeDays > 0
        ? complete.reduce((s, d) => s + d.totalBrl, 0) / completeDays
        : prev.total / (previous.daysInMonth ?? 30);
    const forecastTotal = cents(
      completeDays > 0
        ? runRate * now.daysInMonth!
        : runRate * now.daysInMonth!,
    );
    const budget = facts.monthlyBudgetBrl;
    return {
      tenantId: tenant.tenantId,
      currency: 'BRL' as const,
      timeZone: this.settings.timeZone,
      source: state.source,
      monthToDate: {
        period: month.toFormat('yyyy-MM'),
        through: now.toISODate()!,
        ...mtd,
      },
      previousMonth: { period: previous.toFormat('yyyy-MM'), ...prev },
      efficiency: mtd.efficiency,
      daily: days.map(d => ({ day: d.day, total: cents(d.totalBrl) })),
      monthly: this.#monthly(
        history.get(tenant.tenantId) ?? [],
        month.toFormat('yyyy-MM'),
        facts.monthlyBudgetBrl,
      ),
      forecast: {
        total: forecastTotal,
        method:
          completeDays > 0
            ? `run rate: average of the ${completeDays} complete day(s) of ${month.toFormat(
                'yyyy-MM',
              )} × ${now.daysInMonth} days`
            : `run rate: the previous month's daily average × ${now.daysInMonth} days (no complete day yet)`,
      },
      dailyUsers: facts.dailyUsers ?? null,
      costPerDailyUser: facts.dailyUsers
        ? {
            previousMonth: cents(prev.total / facts.dailyUsers),
            forecast: cents(forecastTotal / facts.dailyUsers),
          }
        : null,
      budget: budget
        ? {
            monthlyBrl: budget,
            atRiskPercent: this.settings.atRiskPercent,
            forecastStatus: this.budgetStatus(forecastTotal, budget),
            monthToDateStatus: this.budgetStatus(mtd.total, budget),
            previousMonthStatus: this.budgetStatus(prev.total, budget),
            forecastPercent: Math.round((forecastTotal / budget) * 1000) / 10,
          }
        : null,
      savings: state.savings
        ? {
            available: true as const,
            monthlyTotal: cents(state.savings.monthlyTotal),
            top: state.savings.top.map(r => ({
              ...r,
              monthlySavings: cents(r.monthlySavings),
            })),
          }
        : { available: false as const, reason: 'not available from OpenCost' },
      ...this.#freshness(state),
    };
  }

  /** Day totals summed by month, oldest first; months without a snapshot left out. */
  #monthly(
    days: Array<{ day: string; totalBrl: number }>,
    current: string,
    budget: number | undefined,
  ) {
    const byMonth = new Map<string, number>();
    for (const d of days) {
      const period = d.day.slice(0, 7);
      byMonth.set(period, (byMonth.get(period) ?? 0) + d.totalBrl);
    }
    return [...byMonth.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([period, total]) => ({
        period,
        total: cents(total),
        complete: period < current,
        budgetStatus: this.budgetStatus(cents(total), budget),
      }));
  }

  /** The cost fields of `GET /tenants` for a page of tenants (one query). */
  listCosts(
    tenants: Array<{ tenant: TenantRecord; facts: TenantFacts }>,
  ): Promise<Map<string, TenantListCost>> {
    return this.#memoised(
      `list|${JSON.stringify(tenants.map(t => [t.tenant.tenantId, t.facts]))}`,
      () => this.#listCosts(tenants),
    );
  }

  async #listCosts(
    tenants: Array<{ tenant: TenantRecord; facts: TenantFacts }>,
  ): Promise<Map<string, TenantListCost>> {
    const out = new Map<string, TenantListCost>();
    if (tenants.length === 0) return out;
    const now = this.#zoneNow();
    const month = now.startOf('month').toISODate()!;
    const today = now.startOf('day').toISODate()!;
    const ids = tenants.map(t => t.tenant.tenantId);
    const [days, states] = await Promise.all([
      this.store.totals(
        ids,
        now.startOf('month').minus({ months: 1 }).toISODate()!,
      ),
      this.store.states(ids),
    ]);
    for (const { tenant, facts } of tenants) {
      const state = states.get(tenant.tenantId);
      if (!state?.refreshedAt) continue;
      let mtd = 0;
      let prev = 0;
      let complete = 0;
      for (const d of days.get(tenant.tenantId) ?? []) {
        if (d.day < month) prev += d.totalBrl;
        else {
          mtd += d.totalBrl;
          if (d.day < today) complete += d.totalBrl;
        }
      }
      const forecast =
        now.day > 1
          ? (complete / (now.day - 1)) * now.daysInMonth!
          : (prev / now.minus({ months: 1 }).daysInMonth!) * now.daysInMonth!;
      out.set(tenant.tenantId, {
        monthToDateBrl: cents(mtd),
        previousMonthBrl: cents(prev),
        forecastBrl: cents(forecast),
        monthlyBudgetBrl: facts.monthlyBudgetBrl ?? null,
        budgetStatus: this.budgetStatus(
          cents(forecast),
          facts.monthlyBudgetBrl,
        ),
        ...this.#freshness(state),
      });
    }
    return out;
  }

  /** The last default period and the epoch-ms range in which it holds. */
  #period?: { period: string; from: number; until: number };

  /**
   * The last complete month, `YYYY-MM`. Worked out once per month in the
   * configured time zone (luxon's zone arithmetic is the costliest part of a
   * warm `/costs/summary`), then reused while the clock stays in that month.
   */
  defaultPeriod(): string {
    const at = this.now().getTime();
    const known = this.#period;
    if (known && at >= known.from && at < known.until) return known.period;
    const month = DateTime.fromMillis(at, {
      zone: this.settings.timeZone,
    }).startOf('month');
    const period = month.minus({ months: 1 }).toFormat('yyyy-MM');
    this.#period = {
      period,
      from: month.toMillis(),
      until: month.plus({ months: 1 }).toMillis(),
    };
    return period;
  }

  /** `GET /costs/summary`: over the tenants given (those the caller may see). */
  summary(
    tenants: Array<{ tenant: TenantRecord; facts: TenantFacts }>,
    period: string,
  ) {
    return this.#memoised(
      `summary|${period}|${JSON.stringify(
        tenants.map(t => [t.tenant.tenantId, t.tenant.entityRef, t.facts]),
      )}`,
      () => this.#summary(tenants, period),
    );
  }

  async #summary(
    tenants: Array<{ tenant: TenantRecord; facts: TenantFacts }>,
    period: string,
  ) {
    const start = DateTime.fromFormat(period, 'yyyy-MM', {
      zone: this.settings.timeZone,
    });
    if (!start.isValid || !/^\d{4}-\d{2}$/.test(period)) {
      throw new InputError('period must be a month, YYYY-MM');
    }
    if (start > this.#zoneNow()) {
      throw new InputError(`period ${period} is in the future`);
    }
    const prevStart = start.minus({ months: 1 });
    const ids = tenants.map(t => t.tenant.tenantId);
    const [days, states] = await Promise.all([
      this.store.days(
        ids,
        prevStart.toISODate()!,
        start.plus({ months: 1 }).toISODate()!,
      ),
      this.store.states(ids),
    ]);
    const byTenant = new Map<string, DaySnapshot[]>();
    for (const d of days)
      byTenant.set(d.tenantId, [...(byTenant.get(d.tenantId) ?? []), d]);
    const rows = tenants.map(({ tenant, facts }) => {
      const all = byTenant.get(tenant.tenantId) ?? [];
      const cur = totals(all.filter(d => d.day >= start.toISODate()!));
      const prev = totals(all.filter(d => d.day < start.toISODate()!));
      return { tenant, facts, cur, prev, state: states.get(tenant.tenantId) };
    });
    const total = cents(rows.reduce((s, r) => s + r.cur.total, 0));
    const previousTotal = cents(rows.reduce((s, r) => s + r.prev.total, 0));
    const growth = (cur: number, prev: number) =>
      prev > 0 ? Math.round(((cur - prev) / prev) * 1000) / 10 : null;
    const byCategory = { compute: 0, storage: 0, network: 0, shared: 0 };
    const drivers: Array<{
      tenantId: string;
      category: string;
      previous: number;
      current: number;
      delta: number;
    }> = [];
    for (const r of rows) {
      for (const k of Object.keys(byCategory) as Array<
        keyof typeof byCategory
      >) {
        byCategory[k] = cents(byCategory[k] + r.cur.breakdown[k]);
        drivers.push({
          tenantId: r.tenant.tenantId,
          category: k,
          previous: r.prev.breakdown[k],
          current: r.cur.breakdown[k],
          delta: cents(r.cur.breakdown[k] - r.prev.breakdown[k]),
        });
      }
    }
    const tenantRows = rows.map(r => ({
      tenantId: r.tenant.tenantId,
      entityRef: r.tenant.entityRef,
      displayName: r.facts.displayName ?? null,
      total: r.cur.total,
      previousTotal: r.prev.total,
      sharePercent:
        total > 0 ? Math.round((r.cur.total / total) * 1000) / 10 : null,
      growthPercent: growth(r.cur.total, r.prev.total),
      breakdown: r.cur.breakdown,
      monthlyBudgetBrl: r.facts.monthlyBudgetBrl ?? null,
      budgetStatus: this.budgetStatus(r.cur.total, r.facts.monthlyBudgetBrl),
      savingsMonthly: r.state?.savings
        ? cents(r.state.savings.monthlyTotal)
        : null,
    }));
    const withSavings = rows.filter(r => r.state?.savings);
    const asOfs = rows
      .map(r => r.state?.refreshedAt)
      .filter((a): a is string => !!a)
      .sort();
    return {
      period,
      previousPeriod: prevStart.toFormat('yyyy-MM'),
      currency: 'BRL' as const,
      total,
      previousTotal,
      growthPercent: growth(total, previousTotal),
      byCategory,
      tenants: tenantRows,
      drivers: drivers
        .filter(d => d.delta !== 0)
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
        .slice(0, 5),
      topMovers: [...tenantRows]
        .map(t => ({
          tenantId: t.tenantId,
          delta: cents(t.total - t.previousTotal),
          growthPercent: t.growthPercent,
        }))
        .filter(t => t.delta !== 0)
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
        .slice(0, 5),
      savings:
        withSavings.length > 0
          ? {
              available: true as const,
              monthlyTotal: cents(
                withSavings.reduce(
                  (s, r) => s + r.state!.savings!.monthlyTotal,
                  0,
                ),
              ),
            }
          : {
              available: false as const,
              reason: 'not available from OpenCost',
            },
      asOf: asOfs[0] ?? null,
      stale: rows.some(r => this.#freshness(r.state).stale),
    };
  }
}

/** The payload of `GET /costs/summary`. */
export type CostSummaryPayload = Awaited<
  ReturnType<CostReadService['summary']>
>;

/** The summary as CSV for chargeback: pt-BR (`;`, decimal comma, BOM) or English. */
export function summaryCsv(
  summary: CostSummaryPayload,
  dialect: 'pt-BR' | 'en',
): string {
  const pt = dialect === 'pt-BR';
  const sep = pt ? ';' : ',';
  const money = (n: number | null) => {
    if (n === null) return '';
    return pt ? n.toFixed(2).replace('.', ',') : n.toFixed(2);
  };
  const cell = (v: string) =>
    v.includes(sep) || /["\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  const header = pt
    ? [
        'período',
        'tenant',
        'nome',
        'total_brl',
        'participação_%',
        'crescimento_%',
        'computação_brl',
        'armazenamento_brl',
        'rede_brl',
        'compartilhado_brl',
        'orçamento_brl',
        'situação_orçamento',
      ]
    : [
        'period',
        'tenant',
        'name',
        'total_brl',
        'share_percent',
        'growth_percent',
        'compute_brl',
        'storage_brl',
        'network_brl',
        'shared_brl',
        'budget_brl',
        'budget_status',
      ];
  const lines = [header.map(cell).join(sep)];
  for (const t of summary.tenants) {
    lines.push(
      [
        summary.period,
        t.tenantId,
        t.displayName ?? '',
        money(t.total),
        money(t.sharePercent),
        money(t.growthPercent),
        money(t.breakdown.compute),
        money(t.breakdown.storage),
        money(t.breakdown.network),
        money(t.breakdown.shared),
        money(t.monthlyBudgetBrl),
        t.budgetStatus ?? '',
      ]
        .map(cell)
        .join(sep),
    );
  }
  return `${pt ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}
