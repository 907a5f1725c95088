import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { TenantSummary } from '@prontuario/plugin-hospital-tenants-common';
import {
  ManagementClusterAccess,
  TenantClusterReaderAccess,
} from '@prontuario/plugin-hospital-tenants-node';
import { TenantApiSettings } from '../config';
import { IsolationExpectations } from '../isolation/evaluateIsolation';
import {
  CachedTenantIsolation,
  TenantLayerAccess,
  readTenantIsolation,
} from '../isolation/readIsolation';
import {
  CachedTenantStatus,
  readTenantStatus,
} from '../status/readTenantStatus';
import { TenantRecord } from '../tenants/TenantIndex';
import { createUpstreamPolicy, UpstreamPolicy } from '../upstream/resilience';
import { Timed, UpstreamCache } from '../upstream/UpstreamCache';

/** The group a tenant's department RoleBindings must bind, from its record and live control plane. */
export type ExpectedGroupOf = NonNullable<TenantLayerAccess['expectedGroup']>;

const statusKey = (tenantId: string) => `status:v1:${tenantId}`;
const isolationKey = (tenantId: string) => `isolation:v1:${tenantId}`;

/**
 * A tenant's status and isolation from the management cluster (reader
 * identity), through the resilience policy and the stale-while-revalidate
 * cache. Callers have authorized the request before they get here.
 */
export class TenantDataService {
  readonly #management: ManagementClusterAccess;
  readonly #upstream: UpstreamPolicy;
  readonly #tenantLayer?: TenantLayerAccess;
  readonly #expectations?: IsolationExpectations;
  readonly #status: UpstreamCache;
  readonly #isolation: UpstreamCache;

  constructor(options: {
    management: ManagementClusterAccess;
    /** read-only access to the tenants' own clusters (the tenant-layer checks) */
    tenantReader?: TenantClusterReaderAccess;
    /** the group a tenant's department RoleBindings must bind (the tenant RBAC check) */
    expectedGroup?: ExpectedGroupOf;
    /** what the management-layer checks expect of the platform (default: the plan's defaults) */
    expectations?: IsolationExpectations;
    cache: CacheService;
    logger: LoggerService;
    settings: TenantApiSettings;
  }) {
    const { settings } = options;
    this.#management = options.management;
    this.#expectations = options.expectations;
    this.#upstream = createUpstreamPolicy({
      name: 'The management cluster',
      ...settings.upstream,
      halfOpenAfterMs: settings.upstream.breakerHalfOpenAfterMs,
    });
    if (options.tenantReader) {
      // a tenant cluster that cannot be reached must not open the management breaker
      this.#tenantLayer = {
        reader: options.tenantReader,
        upstream: createUpstreamPolicy({
          name: 'The tenant clusters',
          ...settings.upstream,
          halfOpenAfterMs: settings.upstream.breakerHalfOpenAfterMs,
        }),
        expectedGroup: options.expectedGroup,
      };
    }
    const common = {
      cache: options.cache,
      logger: options.logger,
      keepMs: settings.keepStaleMs,
      cacheTimeoutMs: settings.cacheTimeoutMs,
      staleWaitMs: settings.staleWaitMs,
    };
    this.#status = new UpstreamCache({
      ...common,
      freshMs: settings.statusFreshMs,
    });
    this.#isolation = new UpstreamCache({
      ...common,
      freshMs: settings.isolationFreshMs,
    });
  }

  /** The upstream policy of the management cluster (breaker state, for tests and health). */
  get upstream(): UpstreamPolicy {
    return this.#upstream;
  }

  status(tenant: TenantRecord): Promise<Timed<CachedTenantStatus>> {
    return this.#status.read(statusKey(tenant.tenantId), () =>
      readTenantStatus(this.#management.client(), this.#upstream, tenant),
    );
  }

  isolation(tenant: TenantRecord): Promise<Timed<CachedTenantIsolation>> {
    return this.#isolation.read(isolationKey(tenant.tenantId), () =>
      this.#readIsolation(tenant),
    );
  }

  #readIsolation(tenant: TenantRecord): Promise<CachedTenantIsolation> {
    return readTenantIsolation(
      this.#management.client(),
      this.#upstream,
      tenant,
      { tenantLayer: this.#tenantLayer, expectations: this.#expectations },
    );
  }

  /** The list summary, from cache only. */
  async summary(tenant: TenantRecord): Promise<TenantSummary> {
    const [status, isolation] = await Promise.all([
      this.#status.peek<CachedTenantStatus>(statusKey(tenant.tenantId)),
      this.#isolation.peek<CachedTenantIsolation>(
        isolationKey(tenant.tenantId),
      ),
    ]);
    const asOf = [status?.asOf, isolation?.asOf]
      .filter((a): a is string => !!a)
      .sort()[0];
    return {
      phase: status?.value.phase ?? null,
      version: status?.value.version.observed ?? null,
      isolationScore: isolation?.value.score.percent ?? null,
      asOf: asOf ?? null,
      stale: !!(status?.stale || isolation?.stale),
    };
  }

  /** Refreshes every tenant's status and isolation into the cache (the scheduled warm-up). */
  async warm(tenants: readonly TenantRecord[]): Promise<void> {
    for (const tenant of tenants) {
      await Promise.allSettled([
        this.#status.load(statusKey(tenant.tenantId), () =>
          readTenantStatus(this.#management.client(), this.#upstream, tenant),
        ),
        this.#isolation.load(isolationKey(tenant.tenantId), () =>
          this.#readIsolation(tenant),
        ),
      ]);
    }
  }
}
