/**
 * The SLA history through SlaService over the Prometheus simulator: months
 * in the tenant's zone, newest first, and a closed month's report read from
 * Prometheus once a day rather than once per freshness window.
 */
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DEFAULT_SLA_QUERIES } from '@prontuario/plugin-hospital-tenants-common';
import {
  PrometheusSimulator,
  startPrometheusSimulator,
} from '@prontuario/upstream-simulators';
import { TenantRecord } from '../tenants/TenantIndex';
import { SlaSettings } from './config';
import { SlaService } from './SlaService';
import { monthsUpTo, periodInZone } from './zonedMonth';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('SlaService history', () => {
  let sim: PrometheusSimulator;
  let clock: number;

  beforeAll(async () => {
    sim = await startPrometheusSimulator({ port: 0 });
  });
  afterAll(() => sim?.stop());
  afterEach(() => jest.restoreAllMocks());

  function service(): SlaService {
    // the caches' clock (captured when they are built)
    clock = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const settings: SlaSettings = {
      prometheus: { baseUrl: sim.url },
      window: '30d',
      refreshSeconds: 300,
      freshMs: 10 * MINUTE,
      timeoutMs: 10_000,
      breakerHalfOpenAfterMs: 30_000,
      templates: { ...DEFAULT_SLA_QUERIES },
      defaultLocale: 'pt-BR',
      defaultTimeZone: 'America/Sao_Paulo',
    };
    return new SlaService({
      settings,
      cache: CacheManager.fromConfig(
        mockServices.rootConfig({
          data: { backend: { cache: { store: 'memory' } } },
        }),
        { logger: mockServices.logger.mock() },
      ).forPlugin('hospital-tenants'),
      logger: mockServices.logger.mock(),
      catalog: catalogServiceMock({ entities: [] }),
      auth: mockServices.auth(),
      keepStaleMs: 24 * HOUR,
    });
  }

  const tenant = {
    tenantId: 'hospital-santa-maria',
    entityRef: 'resource:default/hospital-santa-maria',
  } as TenantRecord;

  it('answers the months newest first, each closed month read from Prometheus once a day', async () => {
    const sla = service();
    const now = new Date();
    const count = async (read: () => Promise<unknown>) => {
      const before = sim.counts.answered;
      await read();
      return sim.counts.answered - before;
    };
    let first: Awaited<ReturnType<SlaService['history']>> | undefined;
    const cold = await count(async () => {
      first = await sla.history(tenant, 3, now);
    });
    expect(cold).toBeGreaterThan(0);
    expect(first!.value.months.map(m => m.period)).toEqual(
      monthsUpTo(periodInZone(now, 'America/Sao_Paulo'), 3),
    );
    expect(first!.value.months[1].to).toBe(first!.value.months[0].from);
    expect(first!.value.timeZone).toBe('America/Sao_Paulo');
    expect(first!.stale).toBe(false);

    // within the freshness window: nothing is read again
    clock += 5 * MINUTE;
    expect(await count(() => sla.history(tenant, 3, now))).toBe(0);

    // two hours later only the running month is read again (one report of
    // three; before closed months had their own cache, all three were)
    clock += 2 * HOUR;
    let second: Awaited<ReturnType<SlaService['history']>> | undefined;
    const warm = await count(async () => {
      second = await sla.history(tenant, 3, now);
    });
    expect(warm).toBeGreaterThan(0);
    expect(warm * 3).toBeLessThanOrEqual(cold);
    expect(second!.value.months[1]).toEqual(first!.value.months[1]);
    expect(second!.value.months[0].asOf).not.toBe(first!.value.months[0].asOf);

    // a day later the closed months are read again too
    clock += 24 * HOUR;
    expect(await count(() => sla.history(tenant, 3, now))).toBe(cold);
  });
});
