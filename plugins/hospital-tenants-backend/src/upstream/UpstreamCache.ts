import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { isError, ServiceUnavailableError } from '@backstage/errors';
import { LRUCache } from 'lru-cache';

/**
 * A value read from an upstream, with when it was read and whether it is
 * older than its freshness window.
 *
 * @public
 */
export interface Timed<T> {
  value: T;
  /** ISO-8601 time of the upstream read */
  asOf: string;
  stale: boolean;
}

interface Entry {
  value: unknown;
  /** epoch ms of the upstream read */
  at: number;
}

/**
 * Options of {@link UpstreamCache}.
 *
 * @public
 */
export interface UpstreamCacheOptions {
  /** the plugin's cache service (memory locally, Redis in production) */
  cache: CacheService;
  logger: LoggerService;
  /** how long a value is fresh (default 30 s) */
  freshMs?: number;
  /** how long a value is kept to be served stale when the upstream fails (default 24 h) */
  keepMs?: number;
  /** a cache read slower than this counts as a miss (default 200 ms) */
  cacheTimeoutMs?: number;
  /** how long a request waits for the refresh of a stale value before it is served stale (default 500 ms) */
  staleWaitMs?: number;
  /** entries of the in-process first level (default 2000) */
  maxLocalEntries?: number;
  /** the clock, for tests */
  now?: () => number;
}

/** The part of the freshness window after which a read refreshes the value in the background. */
const REFRESH_AHEAD_AT = 0.75;

function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | undefined> {
  return new Promise(resolve => {
    const timer = setTimeout(() => resolve(undefined), ms);
    timer.unref?.();
    promise.then(
      value => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

function isEntry(value: unknown): value is Entry {
  return (
    typeof value === 'object' &&
    value !== null &&
    'value' in value &&
    typeof (value as Entry).at === 'number'
  );
}

/**
 * Stale-while-revalidate in front of every upstream of the plugin.
 *
 * - Two levels: a bounded in-process LRU (this replica) over the shared
 *   cache service (every replica). A shared-cache call slower than
 *   `cacheTimeoutMs` or failing counts as a miss, and writes are never
 *   awaited, so a slow or lost Redis never holds a request.
 * - Concurrent requests for one key share one upstream load (per replica).
 * - A value read in the last quarter of its freshness is refreshed in the
 *   background (refresh-ahead), so steady traffic never meets a stale value.
 * - A stale value triggers a refresh; the request waits up to `staleWaitMs`
 *   for it, then gets the stale value (`stale: true`). When the upstream
 *   fails, the last value is served stale for up to `keepMs`; with nothing
 *   kept the request fails with `ServiceUnavailableError`.
 *
 * @public
 */
export class UpstreamCache {
  readonly #cache: CacheService;
  readonly #logger: LoggerService;
  readonly #freshMs: number;
  readonly #cacheTimeoutMs: number;
  readonly #staleWaitMs: number;
  readonly #now: () => number;
  readonly #local: LRUCache<string, Entry>;
  readonly #inflight = new Map<string, Promise<Entry>>();
  readonly #ahead = new Set<string>();

  constructor(options: UpstreamCacheOptions) {
    const keepMs = options.keepMs ?? 24 * 3600_000;
    this.#cache = options.cache.withOptions({ defaultTtl: keepMs });
    this.#logger = options.logger;
    this.#freshMs = options.freshMs ?? 30_000;
    this.#cacheTimeoutMs = options.cacheTimeoutMs ?? 200;
    this.#staleWaitMs = options.staleWaitMs ?? 500;
    this.#now = options.now ?? Date.now;
    this.#local = new LRUCache<string, Entry>({
      max: options.maxLocalEntries ?? 2000,
      ttl: keepMs,
      perf: { now: () => this.#now() },
    });
  }

  #fresh(entry: Entry | undefined): entry is Entry {
    return !!entry && this.#now() - entry.at < this.#freshMs;
  }

  #timed<T>(entry: Entry): Timed<T> {
    return {
      value: entry.value as T,
      asOf: new Date(entry.at).toISOString(),
      stale: !this.#fresh(entry),
    };
  }

  async #shared(key: string): Promise<Entry | undefined> {
    const value = await withTimeout(this.#cache.get(key), this.#cacheTimeoutMs);
    return isEntry(value) ? value : undefined;
  }

  #newest(...entries: Array<Entry | undefined>): Entry | undefined {
    return entries.reduce<Entry | undefined>(
      (best, e) => (e && (!best || e.at > best.at) ? e : best),
      undefined,
    );
  }

  /** The cached value, from cache only (never calls the upstream). */
  async peek<T>(key: string): Promise<Timed<T> | undefined> {
    const local = this.#local.get(key);
    if (this.#fresh(local)) return this.#timed(local);
    const shared = await this.#shared(key);
    const best = this.#newest(local, shared);
    if (best && best !== local) this.#local.set(key, best);
    return best && this.#timed(best);
  }

  /** Loads the value now (coalesced with concurrent loads of the key). */
  load(key: string, loader: () => Promise<unknown>): Promise<Entry> {
    const running = this.#inflight.get(key);
    if (running) return running;
    const promise = (async () => {
      const value = await loader();
      const entry: Entry = { value, at: this.#now() };
      this.#local.set(key, entry);
      this.#cache.set(key, entry as any).catch(error => {
        this.#logger.warn(`Could not write ${key} to the cache: ${error}`);
      });
      return entry;
    })().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, promise);
    return promise;
  }

  /**
   * Refresh-ahead: a value read in the last quarter of its freshness is
   * refreshed in the background (once per key; first from the shared cache,
   * where another replica may have refreshed it), so that under steady
   * traffic a value is replaced before it goes stale and no request waits
   * for the upstream.
   */
  #refreshAhead(key: string, entry: Entry, loader: () => Promise<unknown>) {
    const age = this.#now() - entry.at;
    if (age < this.#freshMs * REFRESH_AHEAD_AT) return;
    if (this.#inflight.has(key) || this.#ahead.has(key)) return;
    this.#ahead.add(key);
    (async () => {
      const shared = await this.#shared(key);
      if (shared && shared.at > entry.at) {
        this.#local.set(key, shared);
        if (this.#now() - shared.at < this.#freshMs * REFRESH_AHEAD_AT) return;
      }
      await this.load(key, loader);
    })()
      .catch(error =>
        this.#logger.warn(
          `Could not refresh ${key} ahead of expiry: ${
            isError(error) ? error.message : error
          }`,
        ),
      )
      .finally(() => this.#ahead.delete(key));
  }

  /**
   * The value of `key`: fresh from cache, else from the upstream through
   * `loader`, else the last value marked stale.
   */
  async read<T>(key: string, loader: () => Promise<T>): Promise<Timed<T>> {
    const local = this.#local.get(key);
    if (this.#fresh(local)) {
      this.#refreshAhead(key, local, loader);
      return this.#timed(local);
    }
    const shared = await this.#shared(key);
    // a load that finished while we waited for the shared cache
    const latest = this.#local.get(key);
    if (this.#fresh(latest)) return this.#timed(latest);
    if (this.#fresh(shared)) {
      this.#local.set(key, shared);
      this.#refreshAhead(key, shared, loader);
      return this.#timed(shared);
    }
    const last = this.#newest(latest, shared);
    const loading = this.load(key, loader);
    if (!last) {
      try {
        return this.#timed(await loading);
      } catch (error) {
        throw new ServiceUnavailableError(
          `No data yet and the upstream read failed: ${
            isError(error) ? error.message : String(error)
          }`,
          isError(error) ? error : undefined,
        );
      }
    }
    loading.catch(error =>
      this.#logger.warn(
        `Serving stale ${key}: the refresh failed: ${
          isError(error) ? error.message : error
        }`,
      ),
    );
    const refreshed = await withTimeout(loading, this.#staleWaitMs);
    return this.#timed(refreshed ?? last);
  }
}
