/**
 * The SLA routes through the whole plugin: the real permission shapes of
 * the portal policy (fake permissions service, as in the tenant API's
 * tests), the scheduled refresh, and a real Prometheus 2.42 over a month of
 * series that end now.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  tenantListSchema,
  tenantSlaHistorySchema,
  tenantSlaReportSchema,
  tenantSlaSchema,
} from '@prontuario/plugin-hospital-tenants-common';
import request from 'supertest';
import { hospitalTenantsPlugin } from '../plugin';
import {
  fakePermissions,
  REFERENCE_TENANTS,
  tenantEntity,
} from '../__testUtils__/tenantApiHarness';
import {
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { managementClusterReaderServiceRef } from '@prontuario/plugin-hospital-tenants-node';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  RealPrometheus,
  startRealPrometheus,
} from './__testUtils__/realPrometheus';
import {
  buildSeries,
  sampleTimes,
  toOpenMetrics,
} from './__testUtils__/slaSeries';
import { SLA_ANNOTATIONS } from './targets';
import { LOCALE_ANNOTATION, TIME_ZONE_ANNOTATION } from './SlaService';

jest.setTimeout(180_000);

const PLATFORM = mockCredentials.user.header('user:default/platform');
const SANTA_MARIA = mockCredentials.user.header(
  'user:default/owner-hospital-santa-maria',
);
const FINANCE = mockCredentials.user.header('user:default/finance');

// the series end on the last whole minute: the refresh evaluates at "now"
const T = Math.floor(Date.now() / 60_000) * 60;
const DAY = 86400;

/** No management cluster in these tests: only the SLA facet is exercised. */
const noCluster = createServiceFactory({
  service: managementClusterReaderServiceRef,
  deps: {},
  factory: () => ({
    identity: 'reader' as const,
    configured: false,
    client: () => {
      throw new ServiceUnavailableError('not configured in this test');
    },
  }),
});

type Server = Parameters<typeof request>[0];

/** The month of `at` in São Paulo, YYYY-MM. */
function monthIn(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  return `${parts.find(p => p.type === 'year')!.value}-${
    parts.find(p => p.type === 'month')!.value
  }`;
}

describe('SLA routes', () => {
  let prometheus: RealPrometheus;
  let server: Server;
  let stop: () => Promise<void>;
  const permissions = fakePermissions();
  // the mock's instance has the factory its type does not declare (backend-test-utils 1.11)
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: {
      skipTaskRunOnStartup?: boolean;
    }): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
  };

  beforeAll(async () => {
    const series = buildSeries(
      [
        {
          tenant: 'hospital-santa-maria',
          rps: () => 20,
          errorShare: () => 0.0001,
          latency: [0.5, 0.9, 0.97, 0.99, 0.999, 1],
        },
        {
          tenant: 'hospital-sao-joao',
          rps: () => 10,
          errorShare: t => (t > T - 3 * 3600 ? 0.03 : 0.0005),
          latency: [0.3, 0.7, 0.85, 0.93, 0.99, 1],
        },
      ],
      sampleTimes(T - 40 * DAY, T, 8),
    );
    prometheus = await startRealPrometheus(toOpenMetrics(series));
    const entities = REFERENCE_TENANTS.map(slug => tenantEntity(slug));
    entities[1].metadata.annotations = {
      ...entities[1].metadata.annotations,
      [SLA_ANNOTATIONS.availability]: '99.9%',
      [SLA_ANNOTATIONS.p95Seconds]: '2',
      [LOCALE_ANNOTATION]: 'pt-BR',
      [TIME_ZONE_ANNOTATION]: 'America/Recife',
    };
    const backend = await startTestBackend({
      features: [
        hospitalTenantsPlugin,
        noCluster,
        permissions.factory,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            hospitalTenants: {
              api: { validateResponses: true, warmupSeconds: 0 },
              sla: { prometheus: { baseUrl: prometheus.baseUrl } },
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
    await prometheus?.stop();
  });

  const get = (path: string, auth?: string) => {
    const r = request(server).get(`/api/hospital-tenants${path}`);
    return auth ? r.set('Authorization', auth) : r;
  };

  it('answers 503 before the first refresh, then the computed SLA', async () => {
    await scheduler.triggerTask('tenant-index-refresh');
    const before = await get('/tenants/hospital-sao-joao/sla', PLATFORM);
    expect(before.status).toBe(503);
    expect(before.body.error.message).toMatch(/not been computed yet/);
    // the list says "unknown" rather than leaving the verdict out
    const listed = tenantListSchema.parse(
      (await get('/tenants', PLATFORM)).body,
    );
    expect(listed.items[0].sla).toEqual({
      verdict: 'unknown',
      alert: 'unknown',
      asOf: null,
      stale: true,
    });

    await scheduler.triggerTask('tenant-sla-refresh');
    const res = await get('/tenants/hospital-sao-joao/sla', PLATFORM);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const sla = tenantSlaSchema.parse(res.body);
    expect(sla.stale).toBe(false);
    expect(sla.alert).toBe('page');
    expect(sla.availability.verdict).toBe('at-risk');
    expect(sla.latency.verdict).toBe('breached');
    expect(sla.verdict).toBe('breached');
    expect(sla.targets).toEqual({
      availability: 0.999,
      p95Seconds: 2,
      throughputRps: 1000,
    });

    const mine = await get('/tenants/hospital-santa-maria/sla', SANTA_MARIA);
    expect(mine.status).toBe(200);
    expect(tenantSlaSchema.parse(mine.body).verdict).toBe('met');
  });

  it('a tenant without traffic is unknown', async () => {
    const res = await get('/tenants/real-hospital-portugues/sla', PLATFORM);
    expect(res.status).toBe(200);
    const sla = tenantSlaSchema.parse(res.body);
    expect(sla.availability.value).toBeNull();
    expect(sla.verdict).toBe('unknown');
  });

  it('permissions: owner 200, another hospital 404, finance 403, no token 401', async () => {
    const other = await get('/tenants/hospital-sao-joao/sla', SANTA_MARIA);
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe('No tenant hospital-sao-joao');
    const unknown = await get('/tenants/hospital-nowhere/sla', SANTA_MARIA);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('No tenant hospital-nowhere');
    expect(
      (
        await get(
          '/tenants/hospital-sao-joao/sla/report?period=2026-01',
          SANTA_MARIA,
        )
      ).status,
    ).toBe(404);
    expect((await get('/tenants/hospital-sao-joao/sla', FINANCE)).status).toBe(
      403,
    );
    expect(
      (
        await get(
          '/tenants/hospital-sao-joao/sla/report?period=2026-01',
          FINANCE,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await get(
          '/tenants/hospital-sao-joao/sla',
          mockCredentials.none.header(),
        )
      ).status,
    ).toBe(401);
    expect((await get('/tenants/Hospital-Sao-Joao/sla', PLATFORM)).status).toBe(
      400,
    );
  });

  it('the list carries the verdict where the caller may read the SLA', async () => {
    const platform = tenantListSchema.parse(
      (await get('/tenants', PLATFORM)).body,
    );
    const byId = Object.fromEntries(platform.items.map(i => [i.tenantId, i]));
    expect(byId['hospital-sao-joao'].sla).toMatchObject({
      verdict: 'breached',
      alert: 'page',
      stale: false,
    });
    expect(byId['hospital-santa-maria'].sla?.verdict).toBe('met');
    const finance = tenantListSchema.parse(
      (await get('/tenants', FINANCE)).body,
    );
    expect(finance.items.every(i => i.sla === undefined)).toBe(true);
    const owner = tenantListSchema.parse(
      (await get('/tenants', SANTA_MARIA)).body,
    );
    expect(owner.items.map(i => i.tenantId)).toEqual(['hospital-santa-maria']);
  });

  it("the month's report as JSON, in the hospital's time zone, with its breaches", async () => {
    const period = monthIn(new Date(T * 1000), 'America/Recife');
    const res = await get(
      `/tenants/hospital-sao-joao/sla/report?period=${period}`,
      PLATFORM,
    );
    expect(res.status).toBe(200);
    const report = tenantSlaReportSchema.parse(res.body);
    expect(report).toMatchObject({
      period,
      locale: 'pt-BR',
      timeZone: 'America/Recife',
      latencyPrecision: 'exact',
      verdict: 'breached',
    });
    // Recife is UTC-3 all year: the month starts at 03:00Z on the 1st
    expect(report.from).toMatch(/-01T03:00:00\.000Z$/);
    const availability = report.breaches.filter(
      b => b.indicator === 'availability',
    );
    expect(availability.length).toBeGreaterThan(0);
    // the failing hours are the last three
    for (const b of availability) {
      expect(Date.parse(b.from)).toBeGreaterThanOrEqual((T - 4 * 3600) * 1000);
      expect(b.worst).toBeLessThan(0.999);
    }
    expect(report.budgetConsumed).toBeGreaterThan(0);
  });

  it('the printable HTML report is escaped and in Portuguese', async () => {
    const period = monthIn(new Date(T * 1000), 'America/Recife');
    const res = await get(
      `/tenants/hospital-sao-joao/sla/report?period=${period}`,
      PLATFORM,
    ).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain(
      "default-src 'none'",
    );
    expect(res.text).toContain('<html lang="pt-BR">');
    expect(res.text).toContain('Relatório de SLA');
    expect(res.text).toContain('violado');
    expect(res.text).not.toMatch(/<script/i);
  });

  it('refuses malformed and future periods', async () => {
    for (const period of ['2026-13', '26-01', '2026-1', '']) {
      const res = await get(
        `/tenants/hospital-sao-joao/sla/report?period=${period}`,
        PLATFORM,
      );
      expect(res.status).toBe(400);
    }
    const future = await get(
      '/tenants/hospital-sao-joao/sla/report?period=2099-01',
      PLATFORM,
    );
    expect(future.status).toBe(400);
    expect(future.body.error.message).toMatch(/has not started/);
  });

  it("the history: the last months in the hospital's time zone, the running one first", async () => {
    const now = new Date(T * 1000);
    const res = await get(
      '/tenants/hospital-sao-joao/sla/history?months=3',
      PLATFORM,
    );
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const history = tenantSlaHistorySchema.parse(res.body);
    expect(history.timeZone).toBe('America/Recife');
    expect(history.months).toHaveLength(3);
    const [current, previous, older] = history.months;
    expect(current.period).toBe(monthIn(now, 'America/Recife'));
    // consecutive months, newest first
    expect(previous.to).toBe(current.from);
    expect(older.to).toBe(previous.from);
    // the running month holds the last hours' failures
    expect(current.verdict).toBe('breached');
    expect(current.breaches).toBeGreaterThan(0);
    expect(current.budgetConsumed).toBeGreaterThan(0);
    // the same figures as that month's report
    const report = tenantSlaReportSchema.parse(
      (
        await get(
          `/tenants/hospital-sao-joao/sla/report?period=${current.period}`,
          PLATFORM,
        )
      ).body,
    );
    expect(current).toMatchObject({
      availability: report.availability,
      latencyShareWithinTarget: report.latencyShareWithinTarget,
      budgetConsumed: report.budgetConsumed,
      verdict: report.verdict,
      breaches: report.breaches.length,
    });

    const mine = await get(
      '/tenants/hospital-santa-maria/sla/history',
      SANTA_MARIA,
    );
    expect(mine.status).toBe(200);
    const six = tenantSlaHistorySchema.parse(mine.body);
    expect(six.months).toHaveLength(6);
    expect(six.months[0].verdict).toBe('met');
    // before the series began there is no traffic: unknown, not met
    expect(six.months[5].availability).toBeNull();
    expect(six.months[5].verdict).toBe('unknown');
  });

  it('the history: another hospital 404, finance 403, bad months 400', async () => {
    expect(
      (await get('/tenants/hospital-sao-joao/sla/history', SANTA_MARIA)).status,
    ).toBe(404);
    expect(
      (await get('/tenants/hospital-sao-joao/sla/history', FINANCE)).status,
    ).toBe(403);
    for (const months of ['0', '13', 'x', '1.5']) {
      const res = await get(
        `/tenants/hospital-sao-joao/sla/history?months=${months}`,
        PLATFORM,
      );
      expect(res.status).toBe(400);
    }
  });
});
