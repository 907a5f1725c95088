import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterSimulator } from '@prontuario/upstream-simulators';
import request from 'supertest';
import {
  tenantIsolationSchema,
  tenantListSchema,
  tenantStatusSchema,
} from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsPlugin } from './plugin';
import {
  exampleGroups,
  fakePermissions,
  readerOf,
  referencePlatformConfig,
  REFERENCE_TENANTS,
  startSeededSimulator,
  tenantEntity,
} from './__testUtils__/tenantApiHarness';

// the first simulator of a process compiles Kamaji's schema; CI machines are slow
jest.setTimeout(60_000);

const PLATFORM = mockCredentials.user.header('user:default/platform');
const SANTA_MARIA = mockCredentials.user.header(
  'user:default/owner-hospital-santa-maria',
);
const FINANCE = mockCredentials.user.header('user:default/finance');

type Server = Parameters<typeof request>[0];

describe('hospital-tenants tenant API against the cluster simulator', () => {
  let sim: ClusterSimulator;
  let server: Server;
  let stop: () => Promise<void>;
  const permissions = fakePermissions();

  beforeAll(async () => {
    sim = await startSeededSimulator();
    const backend = await startTestBackend({
      features: [
        hospitalTenantsPlugin,
        readerOf(sim),
        permissions.factory,
        catalogServiceMock.factory({
          entities: [
            ...REFERENCE_TENANTS.map(s => tenantEntity(s)),
            ...exampleGroups(),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            hospitalTenants: {
              ...referencePlatformConfig(),
              api: {
                validateResponses: true,
                warmupSeconds: 0,
                statusFreshSeconds: 60,
                isolationFreshSeconds: 60,
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

  it("serves a tenant's status from Kamaji's report", async () => {
    const res = await request(server)
      .get('/api/hospital-tenants/tenants/hospital-santa-maria/status')
      .set('Authorization', PLATFORM);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const status = tenantStatusSchema.parse(res.body);
    expect(status).toMatchObject({
      tenantId: 'hospital-santa-maria',
      entityRef: 'resource:default/hospital-santa-maria',
      phase: 'Ready',
      stale: false,
    });
    expect(status.version.observed).toBe(status.version.desired);
    expect(status.endpoint).toMatch(/^127\.0\.0\.1:\d+$|:\d+$/);
    expect(status.replicas.ready).toBe(status.replicas.desired);
    expect(status.dataStore.name).toBeTruthy();
    expect(status.dataStore.schema).toBeTruthy();
    expect(status.conditions.map(c => c.type)).toContain('Available');
    expect(status.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(status.asOf)).toBeLessThanOrEqual(Date.now());
  });

  it("passes every management check of a reference tenant, and the tenant layer's checks it can evidence", async () => {
    const res = await request(server)
      .get('/api/hospital-tenants/tenants/hospital-sao-joao/isolation')
      .set('Authorization', PLATFORM);
    expect(res.status).toBe(200);
    const isolation = tenantIsolationSchema.parse(res.body);
    const management = isolation.checks.filter(c => c.layer === 'management');
    expect(
      management.filter(c => c.result !== 'pass').map(c => [c.id, c.evidence]),
    ).toEqual([]);
    const tenant = isolation.checks.filter(c => c.layer === 'tenant');
    // read in the tenant's own cluster; the simulator runs no CNI, so that one stays unknown
    expect(tenant.filter(c => c.result !== 'pass').map(c => c.id)).toEqual([
      'tenant.cni',
    ]);
    expect(tenant.find(c => c.id === 'tenant.cni')!.result).toBe('unknown');
    const passed = isolation.checks.length - 1;
    expect(isolation.score).toEqual({
      passed,
      failed: 0,
      unknown: 1,
      total: isolation.checks.length,
      percent: Math.floor((passed * 100) / isolation.checks.length),
    });
    const pods = isolation.quota.find(q => q.resource === 'pods');
    expect(pods).toBeDefined();
    expect(pods!.percent).toBeGreaterThan(0);
  });

  it('lists the tenants in pages with summaries from cache only', async () => {
    const first = await request(server)
      .get('/api/hospital-tenants/tenants?limit=2')
      .set('Authorization', PLATFORM);
    expect(first.status).toBe(200);
    const page1 = tenantListSchema.parse(first.body);
    expect(page1.items.map(i => i.tenantId)).toEqual(
      REFERENCE_TENANTS.slice(0, 2),
    );
    expect(page1.nextCursor).toBeDefined();
    // read above: santa maria's status, sao joao's isolation
    expect(page1.items[0].summary?.phase).toBe('Ready');
    expect(page1.items[1].summary?.isolationScore).toBeGreaterThan(0);
    const second = await request(server)
      .get(`/api/hospital-tenants/tenants?limit=2&cursor=${page1.nextCursor}`)
      .set('Authorization', PLATFORM);
    const page2 = tenantListSchema.parse(second.body);
    expect(page2.items.map(i => i.tenantId)).toEqual([
      'real-hospital-portugues',
    ]);
    expect(page2.nextCursor).toBeUndefined();
    // never read: no summary facts, and no upstream read for the list
    expect(page2.items[0].summary).toMatchObject({
      phase: null,
      isolationScore: null,
    });
  });

  it("shows an owner their tenant only; another hospital's is a 404 like an unknown one", async () => {
    const own = await request(server)
      .get('/api/hospital-tenants/tenants/hospital-santa-maria/status')
      .set('Authorization', SANTA_MARIA);
    expect(own.status).toBe(200);
    const other = await request(server)
      .get('/api/hospital-tenants/tenants/hospital-sao-joao/isolation')
      .set('Authorization', SANTA_MARIA);
    const unknown = await request(server)
      .get('/api/hospital-tenants/tenants/hospital-nenhum/isolation')
      .set('Authorization', SANTA_MARIA);
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(other.body.error.name).toBe(unknown.body.error.name);
    expect(other.body.error.message.replace('hospital-sao-joao', 'X')).toBe(
      unknown.body.error.message.replace('hospital-nenhum', 'X'),
    );
    const list = tenantListSchema.parse(
      (
        await request(server)
          .get('/api/hospital-tenants/tenants')
          .set('Authorization', SANTA_MARIA)
      ).body,
    );
    expect(list.items.map(i => i.tenantId)).toEqual(['hospital-santa-maria']);
  });

  it('answers 403 for a visible tenant whose facet is denied, and lists it without cluster facts', async () => {
    const res = await request(server)
      .get('/api/hospital-tenants/tenants/hospital-santa-maria/status')
      .set('Authorization', FINANCE);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    const list = tenantListSchema.parse(
      (
        await request(server)
          .get('/api/hospital-tenants/tenants')
          .set('Authorization', FINANCE)
      ).body,
    );
    expect(list.items.map(i => i.tenantId)).toEqual(REFERENCE_TENANTS);
    expect(list.items.every(i => i.summary === undefined)).toBe(true);
  });

  it.each([
    ['upper case', 'Hospital-Santa-Maria', 400],
    ['over-long', `h${'a'.repeat(60)}`, 400],
    ['encoded slash', 'hospital-santa-maria%2F..%2Fhospital-sao-joao', 400],
    ['encoded dot-dot', '%2e%2e', 400],
  ])('refuses a malformed id (%s)', async (_what, id, status) => {
    const res = await request(server)
      .get(`/api/hospital-tenants/tenants/${id}/status`)
      .set('Authorization', PLATFORM);
    expect([status, 404]).toContain(res.status);
    expect(res.status).not.toBe(200);
  });

  it('refuses a bad cursor, an unknown query parameter and a page size above the maximum', async () => {
    for (const query of [
      'cursor=Zm9v%21',
      'cursor=QUJD',
      'foo=1',
      'limit=101',
      'limit=0',
    ]) {
      const res = await request(server)
        .get(`/api/hospital-tenants/tenants?${query}`)
        .set('Authorization', PLATFORM);
      expect([query, res.status]).toEqual([query, 400]);
    }
  });

  it('requires a caller', async () => {
    // the test backend's auth takes a request without a header as a mock user
    const none = mockCredentials.none.header();
    const res = await request(server)
      .get('/api/hospital-tenants/tenants/hospital-santa-maria/status')
      .set('Authorization', none);
    expect(res.status).toBe(401);
    const list = await request(server)
      .get('/api/hospital-tenants/tenants')
      .set('Authorization', none);
    expect(list.status).toBe(401);
  });

  it('serves no route outside the spec', async () => {
    for (const path of [
      '/tenants/hospital-santa-maria',
      '/tenants/hospital-santa-maria/secrets',
      '/status',
    ]) {
      const res = await request(server)
        .get(`/api/hospital-tenants${path}`)
        .set('Authorization', PLATFORM);
      expect([path, res.status]).toEqual([path, 404]);
    }
    const post = await request(server)
      .post('/api/hospital-tenants/tenants/hospital-santa-maria/status')
      .set('Authorization', PLATFORM);
    expect(post.status).toBe(404);
  });

  it('asks the permission service once per request at most, never per tenant', async () => {
    const before = permissions.calls.count;
    await request(server)
      .get('/api/hospital-tenants/tenants')
      .set('Authorization', SANTA_MARIA);
    expect(permissions.calls.count - before).toBeLessThanOrEqual(1);
  });
});
