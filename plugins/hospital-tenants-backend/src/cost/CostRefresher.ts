import { LoggerService } from '@backstage/backend-plugin-api';
import { isError, ServiceUnavailableError } from '@backstage/errors';
import { DateTime } from 'luxon';
import { createUpstreamPolicy, UpstreamPolicy } from '../upstream/resilience';
import {
  controlPlaneOf,
  sharedPoolOf,
  sharePool,
  sumCategories,
  TenantDirect,
  workloadsOf,
} from './attribution';
import { CostSettings } from './config';
import { CostStore, DayDetail, DaySnapshot } from './CostStore';
import { KubecostSource, OpenCostSource } from './sources/HttpCostSource';
import { CostSource } from './sources/types';

const quote = (values: string[]) => values.map(v => `"${v}"`).join(',');

/**
 * Pulls every tenant's cost from Kubecost or OpenCost into daily snapshots,
 * attributed the Kamaji way. Run by one scheduled task (scope global: one
 * replica per refresh); never on a request's path.
 */
export class CostRefresher {
  readonly #settings: CostSettings;
  readonly #store: CostStore;
  readonly #logger: LoggerService;
  readonly #now: () => Date;
  readonly #sources = new Map<string, CostSource>();
  readonly #policies = new Map<string, UpstreamPolicy>();

  constructor(options: {
    settings: CostSettings;
    store: CostStore;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#settings = options.settings;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  /** One client per base URL, each with its own breaker. */
  source(baseUrl: string): CostSource {
    let source = this.#sources.get(baseUrl);
    if (!source) {
      const policy = createUpstreamPolicy({
        name: `The cost source at ${baseUrl}`,
        timeoutMs: 20_000,
        maxAttempts: 3,
      });
      this.#policies.set(baseUrl, policy);
      const options = {
        baseUrl,
        timeZone: this.#settings.timeZone,
        policy,
        headers: this.#settings.apiKey
          ? { 'X-API-KEY': this.#settings.apiKey }
          : undefined,
      };
      source =
        this.#settings.product === 'kubecost'
          ? new KubecostSource(options)
          : new OpenCostSource(options);
      this.#sources.set(baseUrl, source);
    }
    return source;
  }

  /** Where a tenant's own cluster is read: its source and cluster filter. */
  tenantCluster(tenantId: string): { source: CostSource; cluster: string } {
    const s = this.#settings;
    const override = s.overrides[tenantId] ?? {};
    const fill = (template: string) => template.split('{slug}').join(tenantId);
    const baseUrl =
      override.baseUrl ??
      (s.baseUrlTemplate ? fill(s.baseUrlTemplate) : s.baseUrl);
    const cluster =
      override.cluster ??
      (override.baseUrl || s.baseUrlTemplate ? '' : fill(s.clusterTemplate));
    return { source: this.source(baseUrl), cluster };
  }

  #filter(cluster: string, namespaces?: string[]): string | undefined {
    const clauses = [
      ...(cluster ? [`cluster:${quote([cluster])}`] : []),
      ...(namespaces ? [`namespace:${quote(namespaces)}`] : []),
    ];
    return clauses.length ? clauses.join('+') : undefined;
  }

  async #checkCurrency(source: CostSource) {
    const currency = await source.currency();
    if (currency !== this.#settings.currency) {
      throw new ServiceUnavailableError(
        `${source.product} at ${
          source.baseUrl
        } is configured in ${currency}, but tenant budgets are in ${
          this.#settings.currency
        }; costs are never converted: configure it in ${
          this.#settings.currency
        }`,
      );
    }
  }

  /**
   * Refreshes every tenant: from the start of the previous month for a
   * tenant without snapshots (backfill: `backfillMonths` whole months, what the source still has), else the last `reconcileDays`
   * days and today. Returns the days written per tenant.
   */
  async refresh(
    tenantIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, number>> {
    // the backend is stopping: no new call, no new write
    const check = () => signal?.throwIfAborted();
    const s = this.#settings;
    const now = DateTime.fromJSDate(this.#now(), { zone: s.timeZone });
    const today = now.startOf('day');
    const to = today.plus({ days: 1 }).toISODate()!;
    const backfillFrom = today
      .startOf('month')
      .minus({ months: s.backfillMonths })
      .toISODate()!;
    const recentFrom = today.minus({ days: s.reconcileDays }).toISODate()!;
    const refreshedAt = this.#now().toISOString();
    const written = new Map<string, number>();

    const management = this.source(s.baseUrl);
    const froms = await Promise.all(
      tenantIds.map(async id =>
        (await this.#store.hasDays(id)) ? recentFrom : backfillFrom,
      ),
    );
    const from = froms.reduce((a, b) => (a < b ? a : b), recentFrom);

    // the platform's shared pool, once per refresh
    await this.#checkCurrency(management);
    const pool = sharedPoolOf(
      await management.allocation({
        from,
        to,
        aggregate: 'namespace',
        filter: this.#filter(s.managementCluster, s.sharedNamespaces),
        includeIdle: s.includeManagementIdle,
      }),
      s.sharedNamespaces,
      s.includeManagementIdle,
    );

    const directs: TenantDirect[] = [];
    const failed = new Set<string>();
    const checked = new Set<CostSource>([management]);
    for (const tenantId of tenantIds) {
      check();
      const direct: TenantDirect = { tenantId, days: new Map() };
      try {
        const own = this.tenantCluster(tenantId);
        if (!checked.has(own.source)) {
          await this.#checkCurrency(own.source);
          checked.add(own.source);
        }
        const [workloads, controlPlane, savings] = await Promise.all([
          own.source.allocation({
            from,
            to,
            aggregate: 'namespace',
            filter: this.#filter(own.cluster),
            includeIdle: true,
          }),
          management.allocation({
            from,
            to,
            aggregate: `label:${s.tenantLabel}`,
            filter: this.#filter(s.managementCluster, [`tenant-${tenantId}`]),
            includeIdle: false,
          }),
          own.cluster || own.source !== management
            ? own.source.savings(this.#filter(own.cluster) ?? '')
            : Promise.resolve(undefined),
        ]);
        workloadsOf(workloads, direct.days);
        controlPlaneOf(controlPlane, tenantId, direct.days);
        directs.push(direct);
        check();
        const sorted = savings
          ? [...savings].sort((a, b) => b.monthlySavings - a.monthlySavings)
          : undefined;
        await this.#store.putState({
          tenantId,
          source: own.source.product,
          savings: sorted
            ? {
                monthlyTotal: sorted.reduce(
                  (sum, r) => sum + r.monthlySavings,
                  0,
                ),
                top: sorted.slice(0, 5),
              }
            : null,
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        failed.add(tenantId);
        const message = isError(error) ? error.message : String(error);
        this.#logger.warn(
          `Could not refresh the cost of tenant ${tenantId}: ${message}`,
        );
        await this.#store.putState({
          tenantId,
          source: s.product,
          lastError: message,
          lastErrorAt: refreshedAt,
        });
      }
    }

    // a tenant that failed this run still takes its part of the pool, from
    // its last snapshots: the others' shares do not grow by its absence
    const standIns: TenantDirect[] = [];
    if (failed.size) {
      const kept = await this.#store.days([...failed], from, to);
      for (const id of failed) {
        const days = new Map<string, Omit<DayDetail, 'platformShare'>>();
        for (const d of kept.filter(k => k.tenantId === id)) {
          const { platformShare: _share, ...direct } = d.detail;
          days.set(d.day, direct);
        }
        standIns.push({ tenantId: id, days });
      }
    }
    const shares = sharePool([...directs, ...standIns], pool, s.sharedFraction);
    for (const direct of directs) {
      check();
      const snapshots: DaySnapshot[] = [];
      for (const [day, detail] of direct.days) {
        if (day < from || day >= to) continue;
        const platformShare = shares.get(direct.tenantId)?.get(day) ?? 0;
        snapshots.push({
          tenantId: direct.tenantId,
          day,
          totalBrl:
            sumCategories(detail.workloads) +
            sumCategories(detail.controlPlane) +
            platformShare,
          detail: { ...detail, platformShare },
          refreshedAt,
        });
      }
      await this.#store.putDays(snapshots);
      check();
      await this.#store.putState({
        tenantId: direct.tenantId,
        source: s.product,
        refreshedAt,
        lastError: null,
        lastErrorAt: null,
      });
      written.set(direct.tenantId, snapshots.length);
    }
    if (failed.size) {
      this.#logger.warn(`Cost refresh: ${failed.size} tenant(s) failed`);
    }
    return written;
  }
}
