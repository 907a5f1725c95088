import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Costs of one component of a tenant-day, by the source's categories (BRL). */
export interface CategoryCosts {
  cpu: number;
  ram: number;
  gpu: number;
  pv: number;
  network: number;
  loadBalancer: number;
  shared: number;
  external: number;
}

/** What is kept of one tenant-day. */
export interface DayDetail {
  workloads: CategoryCosts;
  controlPlane: CategoryCosts;
  /** the tenant's share of the platform's shared costs */
  platformShare: number;
  /** idle and unallocated cost seen on the tenant's own cluster, not counted */
  idleExcluded: number;
  /** Σ efficiency × cost and Σ cost of CPU and RAM (efficiency weights) */
  efficiency: {
    cpuWeighted: number;
    cpu: number;
    ramWeighted: number;
    ram: number;
  };
}

export interface DaySnapshot {
  tenantId: string;
  day: string;
  totalBrl: number;
  detail: DayDetail;
  refreshedAt: string;
}

export interface SavingsSnapshot {
  monthlyTotal: number;
  top: Array<{
    namespace: string;
    controller: string;
    container: string;
    monthlySavings: number;
  }>;
}

/** One budget notification: a tenant crossed a level in a month. */
export interface BudgetNotice {
  tenantId: string;
  /** `YYYY-MM` in the configured time zone */
  period: string;
  level: 'at-risk' | 'over';
}

export interface TenantCostState {
  tenantId: string;
  source: string;
  refreshedAt: string | null;
  savings: SavingsSnapshot | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

const migrationsDir = resolvePackagePath(
  '@prontuario/plugin-hospital-tenants-backend',
  'migrations',
);

/** Daily snapshots in the plugin's database (SQLite or PostgreSQL). */
export class CostStore {
  static async create(database: DatabaseService): Promise<CostStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new CostStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  /** Replaces the days of a tenant (a refresh re-pulls days the source may have revised). */
  async putDays(days: DaySnapshot[]): Promise<void> {
    if (days.length === 0) return;
    const rows = days.map(d => ({
      tenant_id: d.tenantId,
      day: d.day,
      total_brl: d.totalBrl,
      detail: JSON.stringify(d.detail),
      refreshed_at: d.refreshedAt,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await this.knex('cost_daily_snapshots')
        .insert(rows.slice(i, i + 200))
        .onConflict(['tenant_id', 'day'])
        .merge(['total_brl', 'detail', 'refreshed_at']);
    }
  }

  /** Days of the tenants in `[from, to)`, by tenant then day. */
  async days(
    tenantIds: string[],
    from: string,
    to: string,
  ): Promise<DaySnapshot[]> {
    if (tenantIds.length === 0) return [];
    const rows = await this.knex('cost_daily_snapshots')
      .whereIn('tenant_id', tenantIds)
      .andWhere('day', '>=', from)
      .andWhere('day', '<', to)
      .orderBy([{ column: 'tenant_id' }, { column: 'day' }]);
    return rows.map((r: any) => ({
      tenantId: r.tenant_id,
      day: r.day,
      totalBrl: Number(r.total_brl),
      detail: JSON.parse(r.detail),
      refreshedAt: r.refreshed_at,
    }));
  }

  /** Day totals (no detail) of the tenants from `from` on. */
  async totals(
    tenantIds: string[],
    from: string,
  ): Promise<Map<string, Array<{ day: string; totalBrl: number }>>> {
    const out = new Map<string, Array<{ day: string; totalBrl: number }>>();
    if (tenantIds.length === 0) return out;
    const rows = await this.knex('cost_daily_snapshots')
      .whereIn('tenant_id', tenantIds)
      .andWhere('day', '>=', from)
      .select('tenant_id', 'day', 'total_brl');
    for (const r of rows as any[]) {
      const list = out.get(r.tenant_id) ?? [];
      list.push({ day: r.day, totalBrl: Number(r.total_brl) });
      out.set(r.tenant_id, list);
    }
    return out;
  }

  async hasDays(tenantId: string): Promise<boolean> {
    const row = await this.knex('cost_daily_snapshots')
      .where('tenant_id', tenantId)
      .first('day');
    return !!row;
  }

  async putState(
    state: Partial<TenantCostState> & { tenantId: string; source: string },
  ) {
    const row: Record<string, unknown> = {
      tenant_id: state.tenantId,
      source: state.source,
    };
    if (state.refreshedAt !== undefined) row.refreshed_at = state.refreshedAt;
    if (state.savings !== undefined) {
      row.savings =
        state.savings === null ? null : JSON.stringify(state.savings);
    }
    if (state.lastError !== undefined) row.last_error = state.lastError;
    if (state.lastErrorAt !== undefined) row.last_error_at = state.lastErrorAt;
    const { tenant_id: _id, ...update } = row;
    await this.knex('cost_tenant_state')
      .insert(row)
      .onConflict('tenant_id')
      .merge(Object.keys(update));
  }

  async states(tenantIds: string[]): Promise<Map<string, TenantCostState>> {
    if (tenantIds.length === 0) return new Map();
    const rows = await this.knex('cost_tenant_state').whereIn(
      'tenant_id',
      tenantIds,
    );
    return new Map(
      rows.map((r: any) => [
        r.tenant_id,
        {
          tenantId: r.tenant_id,
          source: r.source,
          refreshedAt: r.refreshed_at ?? null,
          savings: r.savings ? JSON.parse(r.savings) : null,
          lastError: r.last_error ?? null,
          lastErrorAt: r.last_error_at ?? null,
        },
      ]),
    );
  }

  /**
   * Claims the budget notice of a tenant, month and level: true for the one
   * caller whose row was inserted (across replicas: the primary key decides).
   */
  async claimBudgetNotice(
    notice: BudgetNotice,
    sentAt: string,
  ): Promise<boolean> {
    const inserted = await this.knex('cost_budget_notices')
      .insert({
        tenant_id: notice.tenantId,
        period: notice.period,
        level: notice.level,
        sent_at: sentAt,
      })
      .onConflict(['tenant_id', 'period', 'level'])
      .ignore()
      .returning('tenant_id');
    return inserted.length === 1;
  }

  /** Gives a claim back (the notification could not be sent: the next refresh retries). */
  async releaseBudgetNotice(notice: BudgetNotice): Promise<void> {
    await this.knex('cost_budget_notices')
      .where({
        tenant_id: notice.tenantId,
        period: notice.period,
        level: notice.level,
      })
      .delete();
  }

  /** The levels already claimed for a tenant in a month. */
  async budgetNoticeLevels(
    tenantId: string,
    period: string,
  ): Promise<string[]> {
    const rows = await this.knex('cost_budget_notices')
      .where({ tenant_id: tenantId, period })
      .select('level');
    return rows.map((r: any) => r.level);
  }
}
