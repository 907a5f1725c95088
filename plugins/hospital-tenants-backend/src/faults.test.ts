import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { tenantStatusSchema } from '@prontuario/plugin-hospital-tenants-common';
import { ClusterSimulator, FaultRule } from '@prontuario/upstream-simulators';
import request from 'supertest';
import { hospitalTenantsPlugin } from './plugin';
import {
  eventually,
  fakePermissions,
  readerOf,
  REFERENCE_TENANTS,
  startSeededSimulator,
  tenantEntity,
} from './__testUtils__/tenantApiHarness';

jest.setTimeout(60_000);

const PLATFORM = mockCredentials.user.header('user:default/platform');
const tcpPath = (slug: string) =>
  `/apis/kamaji.clastix.io/v1alpha1/namespaces/tenant-${slug}/tenantcontrolplanes/${slug}`;

/** Upstream faults: the last value within 2 s marked stale, or a clear 503 with nothing cached. */
describe('the tenant API when the management cluster fails', () => {
  let sim: ClusterSimulator;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sim = await startSeededSimulator();
    const backend = await startTestBackend({
      features: [
        hospitalTenantsPlugin,
        readerOf(sim, 30_000),
        fakePermissions().factory,
        catalogServiceMock.factory({
          entities: REFERENCE_TENANTS.map(s => tenantEntity(s)),
        }),
        mockServices.rootConfig.factory({
          data: {
            hospitalTenants: {
              api: {
                validateResponses: true,
                warmupSeconds: 0,
                statusFreshSeconds: 0.2,
                staleWaitMs: 300,
                upstream: {
                  timeoutMs: 600,
                  maxAttempts: 2,
                  breakerThreshold: 4,
                  breakerHalfOpenAfterMs: 500,
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterEach(() => sim.faults.clear());

  afterAll(async () => {
    await stop?.();
    await sim?.stop();
  });

  const getStatus = (slug: string) =>
    request(server)
      .get(`/api/hospital-tenants/tenants/${slug}/status`)
      .set('Authorization', PLATFORM);

  /** A fresh value, then (once it is past its freshness) the fault. */
  async function staleUnder(fault: Omit<FaultRule, 'path'>) {
    const slug = 'hospital-santa-maria';
    const warm = await eventually(
      () => getStatus(slug),
      r => r.status === 200 && r.body.stale === false,
    );
    expect(warm.status).toBe(200);
    const asOf = Date.parse(warm.body.asOf);
    // wait until the value is past its 200 ms freshness
    await eventually(
      async () => Date.now(),
      now => now - asOf > 250,
    );
    sim.faults.add({ path: tcpPath(slug), ...fault });
    const started = Date.now();
    const res = await getStatus(slug);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    const status = tenantStatusSchema.parse(res.body);
    expect(status.asOf).toBe(warm.body.asOf);
    sim.faults.clear();
    return { stale: status, elapsed };
  }

  it.each<[string, Omit<FaultRule, 'path'>]>([
    ['while the cluster hangs', { hang: true }],
    ['on 5xx', { status: 503 }],
    ['on malformed JSON', { body: '{"kind":"TenantControlPlane","metadata":' }],
    ['on a huge body', { body: `[${'"x",'.repeat(1_000_000)}"x"` }],
  ])('serves the last value, stale, %s', async (_what, fault) => {
    const { stale, elapsed } = await staleUnder(fault);
    expect(stale).toMatchObject({ stale: true, phase: 'Ready' });
    expect(elapsed).toBeLessThan(2000);
  });

  it('answers a clear 503 when nothing is cached', async () => {
    sim.faults.add({ path: tcpPath('hospital-sao-joao'), status: 500 });
    const res = await getStatus('hospital-sao-joao');
    expect(res.status).toBe(503);
    expect(res.body.error.name).toBe('ServiceUnavailableError');
    expect(res.body.error.message).toMatch(
      /^No data yet and the upstream read failed: /,
    );
  });

  it('opens the breaker (no more upstream calls) and recovers', async () => {
    const slug = 'real-hospital-portugues';
    sim.faults.add({ path: tcpPath(slug), status: 503 });
    // 2 requests x 2 attempts = 4 consecutive failures: the breaker opens
    for (let i = 0; i < 2; i++)
      expect((await getStatus(slug)).status).toBe(503);
    const hits = sim.faults.hits;
    const open = await getStatus(slug);
    expect(open.status).toBe(503);
    expect(open.body.error.message).toMatch(/circuit open/);
    expect(sim.faults.hits).toBe(hits);
    sim.faults.clear();
    const recovered = await eventually(
      () => getStatus(slug),
      r => r.status === 200,
    );
    expect(recovered.body).toMatchObject({ phase: 'Ready', stale: false });
  });
});

/**
 * Coalescing, apart from the fault tests' short timeouts and freshness: on a
 * loaded machine 100 requests can take longer to arrive than those allow,
 * which would count a retry or a revalidation as a second call.
 */
describe('the tenant API under 100 concurrent cold requests', () => {
  let sim: ClusterSimulator;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sim = await startSeededSimulator();
    const backend = await startTestBackend({
      features: [
        hospitalTenantsPlugin,
        readerOf(sim, 30_000),
        fakePermissions().factory,
        catalogServiceMock.factory({
          entities: REFERENCE_TENANTS.map(s => tenantEntity(s)),
        }),
        mockServices.rootConfig.factory({
          data: {
            hospitalTenants: {
              api: {
                validateResponses: true,
                warmupSeconds: 0,
                statusFreshSeconds: 60,
                upstream: { timeoutMs: 20_000, maxAttempts: 2 },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await sim?.stop();
  });

  it('turns them into one upstream call', async () => {
    // a rule that only counts (and slows down) requests for the TCP
    sim.faults.add({
      path: '/apis/kamaji.clastix.io/v1alpha1/namespaces/tenant-hospital-sao-joao/',
      latencyMs: 500,
    });
    const before = sim.faults.hits;
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        request(server)
          .get('/api/hospital-tenants/tenants/hospital-sao-joao/status')
          .set('Authorization', PLATFORM),
      ),
    );
    expect(responses.map(r => r.status)).toEqual(Array(100).fill(200));
    expect(sim.faults.hits - before).toBe(1);
  });
});
