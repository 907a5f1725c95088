import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices, TestCaches } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';
import { UpstreamCache } from './UpstreamCache';

jest.setTimeout(30_000);

const caches = TestCaches.create({ ids: ['MEMORY', 'REDIS_7'] });

function cacheService(store: string, connection: string, namespace: string) {
  return CacheManager.fromConfig(
    mockServices.rootConfig({
      data: {
        backend: {
          cache: { store, connection, redis: { client: { namespace } } },
        },
      },
    }),
    { logger: mockServices.logger.mock() },
  ).forPlugin('hospital-tenants');
}

let counter = 0;
const unique = () => `upstream-cache-${Date.now()}-${++counter}`;

describe.each(caches.eachSupportedId())('UpstreamCache on %s', id => {
  let store: string;
  let connection: string;

  beforeAll(async () => {
    ({ store, connection } = await caches.init(id));
  });

  function make(
    namespace: string,
    options: {
      now?: () => number;
      freshMs?: number;
      service?: ReturnType<typeof cacheService>;
    } = {},
  ) {
    return new UpstreamCache({
      cache: options.service ?? cacheService(store, connection, namespace),
      logger: mockServices.logger.mock(),
      freshMs: options.freshMs ?? 1000,
      staleWaitMs: 100,
      now: options.now,
    });
  }

  it('coalesces 100 concurrent cold reads into one upstream load', async () => {
    const cache = make(unique());
    let release!: () => void;
    const gate = new Promise<void>(r => {
      release = r;
    });
    const loader = jest.fn(async () => {
      await gate;
      return { phase: 'Ready' };
    });
    const reads = Array.from({ length: 100 }, () => cache.read('k', loader));
    await new Promise(r => setImmediate(r));
    release();
    const results = await Promise.all(reads);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(results.every(r => r.value.phase === 'Ready' && !r.stale)).toBe(
      true,
    );
    // a later read within freshness is a hit
    await cache.read('k', loader);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('serves the last value, marked stale, when the upstream fails; 503 with nothing kept', async () => {
    let now = 1_000_000;
    const cache = make(unique(), { now: () => now });
    const first = await cache.read('k', async () => 'v1');
    expect(first).toEqual({
      value: 'v1',
      asOf: new Date(now).toISOString(),
      stale: false,
    });
    now += 5000;
    const stale = await cache.read('k', async () => {
      throw new Error('boom');
    });
    expect(stale).toEqual({ value: 'v1', asOf: first.asOf, stale: true });
    await expect(
      cache.read('other', async () => {
        throw new Error('upstream down');
      }),
    ).rejects.toThrow(ServiceUnavailableError);
    await expect(
      cache.read('other', async () => {
        throw new Error('upstream down');
      }),
    ).rejects.toThrow(
      /No data yet and the upstream read failed: upstream down/,
    );
  });

  it('returns the stale value within the wait budget while the refresh hangs', async () => {
    let now = 1_000_000;
    const cache = make(unique(), { now: () => now });
    await cache.read('k', async () => 'v1');
    now += 5000;
    const started = Date.now();
    const result = await cache.read('k', () => new Promise<string>(() => {}));
    expect(result).toMatchObject({ value: 'v1', stale: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refreshes a value ahead of expiry in the background, so that steady reads never wait', async () => {
    let now = 1_000_000;
    const cache = make(unique(), { now: () => now });
    let version = 0;
    let release!: () => void;
    let gate: Promise<void> = Promise.resolve();
    const loader = jest.fn(async () => {
      await gate;
      return `v${++version}`;
    });
    expect((await cache.read('k', loader)).value).toBe('v1');
    // early in the freshness window: a hit, nothing refreshed
    now += 500;
    await cache.read('k', loader);
    expect(loader).toHaveBeenCalledTimes(1);
    // in its last quarter: served at once while one refresh runs
    now += 300;
    gate = new Promise<void>(r => {
      release = r;
    });
    const during = await Promise.all([
      cache.read('k', loader),
      cache.read('k', loader),
    ]);
    expect(during.map(r => [r.value, r.stale])).toEqual([
      ['v1', false],
      ['v1', false],
    ]);
    for (let i = 0; i < 100 && loader.mock.calls.length < 2; i++) {
      await new Promise(r => setTimeout(r, 10));
    }
    expect(loader).toHaveBeenCalledTimes(2);
    release();
    // past the first value's freshness, the refreshed one is served fresh
    now += 700;
    let after = await cache.read('k', loader);
    for (let i = 0; i < 100 && after.value !== 'v2'; i++) {
      await new Promise(r => setTimeout(r, 10));
      after = await cache.read('k', loader);
    }
    expect(after).toMatchObject({ value: 'v2', stale: false });
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('shares values between replicas through the cache service', async () => {
    const namespace = unique();
    // Redis: a second client, as another replica has; memory is per process,
    // so there the second instance shares the first one's store
    const service = cacheService(store, connection, namespace);
    const a = make(namespace, { service });
    const b = make(namespace, id === 'MEMORY' ? { service } : {});
    await a.read('shared', async () => 'from-a');
    // the write is not awaited on the request path: wait until it lands
    const loader = jest.fn(async () => 'from-b');
    const seen = await pollUntil(
      async () => (await b.peek<string>('shared'))?.value,
      { timeoutMs: 2000, intervalMs: 20, onTimeout: () => undefined },
    );
    expect(seen).toBe('from-a');
    expect((await b.read('shared', loader)).value).toBe('from-a');
    expect(loader).not.toHaveBeenCalled();
  });
});

describe('UpstreamCache with Redis unreachable', () => {
  it('counts the cache as a miss after its short timeout and never hangs a request', async () => {
    const cache = new UpstreamCache({
      cache: cacheService('redis', 'redis://127.0.0.1:1', unique()),
      logger: mockServices.logger.mock(),
      cacheTimeoutMs: 100,
    });
    const started = Date.now();
    const result = await cache.read('k', async () => 'from-upstream');
    expect(result).toMatchObject({ value: 'from-upstream', stale: false });
    expect(await cache.peek('missing')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
