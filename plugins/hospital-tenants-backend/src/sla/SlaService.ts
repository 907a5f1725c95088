import {
  AuthService,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  isError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  HOSPITAL_TENANT_TYPE,
  TenantSlaHistory,
  TenantSlaSummary,
} from '@prontuario/plugin-hospital-tenants-common';
import { TenantRecord } from '../tenants/TenantIndex';
import { createUpstreamPolicy } from '../upstream/resilience';
import { Timed, UpstreamCache } from '../upstream/UpstreamCache';
import { SlaSettings } from './config';
import { SlaIndicators } from './indicators';
import { PrometheusClient } from './PrometheusClient';
import { MonthReport, readMonthReport } from './readMonthReport';
import { readTenantSla, SlaReadOptions } from './readTenantSla';
import { REPORT_LOCALES } from './renderReportHtml';
import { DEFAULT_SLA_TARGETS, readSlaTargets, SlaTargets } from './targets';
import {
  isTimeZone,
  monthInZone,
  monthsUpTo,
  periodInZone,
} from './zonedMonth';

/** The history without the tenant's ids and `asOf`/`stale`. */
export type SlaHistory = Omit<
  TenantSlaHistory,
  'tenantId' | 'entityRef' | 'asOf' | 'stale'
>;

/** Months of a history read from Prometheus at once (each is seven queries). */
const HISTORY_CONCURRENCY = 3;

export const LOCALE_ANNOTATION = 'hospital-tenants.io/locale';
export const TIME_ZONE_ANNOTATION = 'hospital-tenants.io/time-zone';

const slaKey = (tenantId: string) => `sla:v1:${tenantId}`;
const reportKey = (tenantId: string, period: string) =>
  `sla-report:v1:${tenantId}:${period}`;
/** A closed month's report, keyed by what it was computed with: a change of targets, zone or language computes it again. */
const closedReportKey = (
  tenantId: string,
  period: string,
  profile: TenantSlaProfile,
) =>
  `sla-report-closed:v1:${tenantId}:${period}:${profile.targets.availability}:${profile.targets.p95Seconds}:${profile.targets.throughputRps}:${profile.timeZone}:${profile.locale}`;

/** How long after its end a month counts as closed (samples scraped and ingested late). */
const CLOSED_MONTH_GRACE_MS = 3600_000;
/** A closed month's report stays fresh a day and is kept 40 days. */
const CLOSED_REPORT_FRESH_MS = 24 * 3600_000;
const CLOSED_REPORT_KEEP_MS = 40 * 24 * 3600_000;

interface TenantSlaProfile {
  targets: SlaTargets;
  locale: string;
  timeZone: string;
}

/**
 * Each tenant's SLA from Prometheus. The indicators are computed by the
 * scheduled refresh (one replica at a time, into the shared cache); a
 * request only reads the cache. Reports are computed on request (one month,
 * coalesced, cached) since a month is asked for rarely.
 */
export class SlaService {
  readonly #settings: SlaSettings;
  readonly #logger: LoggerService;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #read?: SlaReadOptions;
  readonly #sla: UpstreamCache;
  readonly #reports: UpstreamCache;
  readonly #closedReports: UpstreamCache;
  #profiles = new Map<string, TenantSlaProfile>();

  constructor(options: {
    settings: SlaSettings;
    cache: CacheService;
    logger: LoggerService;
    catalog: CatalogService;
    auth: AuthService;
    keepStaleMs: number;
  }) {
    const { settings, logger } = options;
    this.#settings = settings;
    this.#logger = logger;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    if (settings.prometheus) {
      this.#read = {
        client: new PrometheusClient(
          settings.prometheus,
          createUpstreamPolicy({
            name: 'Prometheus',
            timeoutMs: settings.timeoutMs,
            halfOpenAfterMs: settings.breakerHalfOpenAfterMs,
          }),
        ),
        templates: settings.templates,
        window: settings.window,
      };
    } else {
      logger.warn(
        'hospitalTenants.sla.prometheus.baseUrl is not set: the SLA routes answer 503',
      );
    }
    const common = {
      cache: options.cache,
      logger,
      keepMs: Math.max(options.keepStaleMs, 2 * settings.freshMs),
      freshMs: settings.freshMs,
    };
    this.#sla = new UpstreamCache(common);
    this.#reports = new UpstreamCache({ ...common, staleWaitMs: 60_000 });
    // a closed month no longer changes: computed at most once a day per
    // tenant and month, however often histories and reports are opened
    this.#closedReports = new UpstreamCache({
      ...common,
      freshMs: CLOSED_REPORT_FRESH_MS,
      keepMs: CLOSED_REPORT_KEEP_MS,
      staleWaitMs: 60_000,
    });
  }

  #client(): SlaReadOptions {
    if (!this.#read) {
      throw new ServiceUnavailableError('No Prometheus is configured');
    }
    return this.#read;
  }

  #profile(tenantId: string): TenantSlaProfile {
    return (
      this.#profiles.get(tenantId) ?? {
        targets: DEFAULT_SLA_TARGETS,
        locale: this.#settings.defaultLocale,
        timeZone: this.#settings.defaultTimeZone,
      }
    );
  }

  /** Reloads every tenant's targets, language and time zone from its entity (background only). */
  async refreshProfiles(): Promise<void> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: { kind: 'resource', 'spec.type': HOSPITAL_TENANT_TYPE },
        fields: ['metadata.name', 'metadata.annotations'],
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    const next = new Map<string, TenantSlaProfile>();
    for (const entity of items) {
      const annotations = entity.metadata.annotations ?? {};
      const name = entity.metadata.name;
      const locale = annotations[LOCALE_ANNOTATION];
      const timeZone = annotations[TIME_ZONE_ANNOTATION];
      next.set(name, {
        targets: readSlaTargets(annotations, this.#logger, name),
        locale:
          locale && (REPORT_LOCALES as readonly string[]).includes(locale)
            ? locale
            : this.#settings.defaultLocale,
        timeZone:
          timeZone && isTimeZone(timeZone)
            ? timeZone
            : this.#settings.defaultTimeZone,
      });
    }
    this.#profiles = next;
  }

  /** Recomputes every tenant's indicators into the shared cache (the scheduled refresh). */
  async refresh(tenants: readonly TenantRecord[], now = new Date()) {
    if (!this.#read) return;
    try {
      await this.refreshProfiles();
    } catch (error) {
      this.#logger.warn(
        `Could not reload the SLA targets; keeping the last ones: ${
          isError(error) ? error.message : error
        }`,
      );
    }
    for (const tenant of tenants) {
      try {
        await this.#sla.load(slaKey(tenant.tenantId), () =>
          readTenantSla(
            this.#client(),
            tenant.tenantId,
            this.#profile(tenant.tenantId).targets,
            now,
          ),
        );
      } catch (error) {
        this.#logger.warn(
          `Could not compute the SLA of ${tenant.tenantId}: ${
            isError(error) ? error.message : error
          }`,
        );
      }
    }
  }

  /** The tenant's indicators from cache; 503 before the first refresh. */
  async get(tenant: TenantRecord): Promise<Timed<SlaIndicators>> {
    this.#client();
    const cached = await this.#sla.peek<SlaIndicators>(slaKey(tenant.tenantId));
    if (!cached) {
      throw new ServiceUnavailableError(
        "This tenant's SLA has not been computed yet; try again in a few minutes",
      );
    }
    return cached;
  }

  /** The list's SLA summary, from cache only (unknown before the first refresh). */
  async summary(tenant: TenantRecord): Promise<TenantSlaSummary | undefined> {
    if (!this.#read) return undefined;
    const cached = await this.#sla.peek<SlaIndicators>(slaKey(tenant.tenantId));
    return cached
      ? {
          verdict: cached.value.verdict,
          alert: cached.value.alert,
          asOf: cached.asOf,
          stale: cached.stale,
        }
      : { verdict: 'unknown', alert: 'unknown', asOf: null, stale: true };
  }

  /**
   * The last `months` calendar months in the tenant's time zone, the
   * running month first: each month's report, read through the report
   * cache a few months at a time.
   */
  async history(
    tenant: TenantRecord,
    months: number,
    now = new Date(),
  ): Promise<Timed<SlaHistory>> {
    this.#client();
    const profile = this.#profile(tenant.tenantId);
    const periods = monthsUpTo(periodInZone(now, profile.timeZone), months);
    const reports: Array<Timed<MonthReport>> = [];
    for (let i = 0; i < periods.length; i += HISTORY_CONCURRENCY) {
      reports.push(
        ...(await Promise.all(
          periods
            .slice(i, i + HISTORY_CONCURRENCY)
            .map(period => this.report(tenant, period, now)),
        )),
      );
    }
    const asOf = reports
      .map(r => r.asOf)
      .reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
    return {
      value: {
        timeZone: profile.timeZone,
        targets: profile.targets,
        months: reports.map(({ value, asOf: at, stale }) => ({
          period: value.period,
          from: value.from,
          to: value.to,
          availability: value.availability,
          latencyShareWithinTarget: value.latencyShareWithinTarget,
          budgetConsumed: value.budgetConsumed,
          verdict: value.verdict,
          breaches: value.breaches.length,
          asOf: at,
          stale,
        })),
      },
      asOf,
      stale: reports.some(r => r.stale),
    };
  }

  /**
   * One month's report (computed once, then cached): the running month for
   * the SLA's freshness window, a closed month for a day.
   */
  async report(
    tenant: TenantRecord,
    period: string,
    now = new Date(),
  ): Promise<Timed<MonthReport>> {
    const read = this.#client();
    const profile = this.#profile(tenant.tenantId);
    const { from, to } = monthInZone(period, profile.timeZone);
    // refused before the cache: its loader errors would come out as 503
    if (from.getTime() >= now.getTime()) {
      throw new InputError(`The period ${period} has not started`);
    }
    const closed = to.getTime() + CLOSED_MONTH_GRACE_MS <= now.getTime();
    const [cache, key] = closed
      ? [this.#closedReports, closedReportKey(tenant.tenantId, period, profile)]
      : [this.#reports, reportKey(tenant.tenantId, period)];
    return cache.read(key, () =>
      readMonthReport(
        read,
        tenant.tenantId,
        profile.targets,
        period,
        profile.locale,
        profile.timeZone,
        now,
      ),
    );
  }
}
