/**
 * The SLA indicators against a REAL Prometheus (Debian's 2.42 `prometheus`
 * and `promtool`, started here): a month of series backfilled into a temp
 * dir, queried through the plugin's client at a fixed evaluation time, and
 * compared with what PromQL's own rules give from the same samples.
 *
 * Tolerance: relative 1e-9 (Prometheus sums float64 in its own order).
 */
import { InputError } from '@backstage/errors';
import { createUpstreamPolicy } from '../upstream/resilience';
import { bucketQuantile, SlaIndicators } from './indicators';
import { PrometheusClient } from './PrometheusClient';
import { DEFAULT_SLA_QUERIES } from './queries';
import { readTenantSla, windowSeconds } from './readTenantSla';
import { DEFAULT_SLA_TARGETS } from './targets';
import {
  startRealPrometheus,
  RealPrometheus,
} from './__testUtils__/realPrometheus';
import {
  buildSeries,
  LE,
  promSumIncrease,
  sampleTimes,
  Series,
  TenantProfile,
  toOpenMetrics,
} from './__testUtils__/slaSeries';

jest.setTimeout(180_000);

// 2026-10-15T12:00:00Z: every window boundary sits on a whole minute
const T = Date.UTC(2026, 9, 15, 12) / 1000;
const AT = new Date(T * 1000);
const DAY = 86400;
const TOL = 1e-9;

const profiles: TenantProfile[] = [
  {
    tenant: 'santa-maria',
    // a 20-minute spike three hours ago: the peak
    rps: t => (t > T - 3 * 3600 && t < T - 3 * 3600 + 1200 ? 120 : 20),
    errorShare: () => 0.0001,
    latency: [0.5, 0.9, 0.97, 0.99, 0.999, 1],
  },
  {
    tenant: 'sao-joao',
    rps: () => 10,
    // failing hard for the last 50 minutes: the fast burn fires
    errorShare: t => (t > T - 50 * 60 ? 0.05 : 0.0005),
    latency: [0.3, 0.7, 0.85, 0.93, 0.99, 1],
  },
  {
    tenant: 'real-hospital-portugues',
    rps: () => 5,
    errorShare: () => 0.0002,
    latency: [0.6, 0.95, 0.98, 0.995, 1, 1],
    // the service restarted ten days ago: its counters start again from 0
    resetAt: T - 10 * DAY + 1800,
  },
];

let prometheus: RealPrometheus;
let series: Series[];
let client: PrometheusClient;
const options = () => ({
  client,
  templates: DEFAULT_SLA_QUERIES,
  window: '30d',
});

beforeAll(async () => {
  series = buildSeries(profiles, sampleTimes(T - 33 * DAY, T, 8));
  prometheus = await startRealPrometheus(toOpenMetrics(series));
  client = new PrometheusClient(
    { baseUrl: prometheus.baseUrl },
    createUpstreamPolicy({ name: 'Prometheus', timeoutMs: 30_000 }),
  );
});

afterAll(async () => {
  await prometheus?.stop();
});

function expectClose(actual: number | null, want: number) {
  expect(actual).not.toBeNull();
  const scale = Math.max(1, Math.abs(want));
  expect(Math.abs((actual as number) - want) / scale).toBeLessThan(TOL);
}

/** What PromQL gives from the samples, for one tenant. */
function expected(tenant: string, window: string, at = T) {
  const range = windowSeconds(window);
  const ofTenant = (l: Record<string, string>) => l.tenant === tenant;
  const bad = promSumIncrease(
    series,
    'http_server_request_duration_seconds_count',
    l => ofTenant(l) && l.http_response_status_code === '500',
    at,
    range,
  );
  const total = promSumIncrease(
    series,
    'http_server_request_duration_seconds_count',
    ofTenant,
    at,
    range,
  );
  const bucket = (le: string) =>
    promSumIncrease(
      series,
      'http_server_request_duration_seconds_bucket',
      l => ofTenant(l) && l.le === le,
      at,
      range,
    ) as number;
  return { bad: bad as number, total: total as number, bucket };
}

function checkAvailability(sla: SlaIndicators, tenant: string) {
  const target = DEFAULT_SLA_TARGETS.availability;
  const budget = 1 - target;
  const month = expected(tenant, '30d');
  expectClose(sla.availability.value, 1 - month.bad / month.total);
  expectClose(sla.availability.totalRequests, month.total);
  expectClose(
    sla.availability.errorBudgetLeft,
    1 - month.bad / month.total / budget,
  );
  for (const rate of sla.burnRates) {
    for (const [w, value] of [
      [rate.longWindow, rate.longRate],
      [rate.shortWindow, rate.shortRate],
    ] as const) {
      const e = expected(tenant, w);
      expectClose(value, e.bad / e.total / budget);
    }
  }
  const latency = month.bucket('2') / month.bucket('+Inf');
  expectClose(sla.latency.shareWithinTarget, latency);
  expect(sla.latency.precision).toBe('exact');
}

describe('SLA indicators against a real Prometheus 2.42', () => {
  it('Santa Maria meets every target; the peak is the spike', async () => {
    const sla = await readTenantSla(
      options(),
      'santa-maria',
      DEFAULT_SLA_TARGETS,
      AT,
    );
    checkAvailability(sla, 'santa-maria');
    expect(sla.availability.verdict).toBe('met');
    expect(sla.latency.verdict).toBe('met');
    expect(sla.alert).toBe('ok');
    expect(sla.verdict).toBe('met');

    // the peak: the highest 5-minute rate over the 30-day range at a 5-minute step
    let peak = 0;
    for (let t = T - 30 * DAY; t <= T; t += 300) {
      const e = expected('santa-maria', '5m', t);
      if (e.total !== undefined) peak = Math.max(peak, e.total / 300);
    }
    expectClose(sla.throughput.peakRps, peak);
    const peakAt = Date.parse(sla.throughput.peakAt!) / 1000;
    expect(peakAt).toBeGreaterThan(T - 3 * 3600);
    expect(peakAt).toBeLessThanOrEqual(T - 3 * 3600 + 1200 + 300);
    expect(sla.throughput.heldAtPeak).toBe(true);
    // no load-test evidence configured: never "met"
    expect(sla.throughput.capacity).toBe('not-measured');
  });

  it('São João burns its budget: the fast-burn page fires and latency is breached', async () => {
    const sla = await readTenantSla(
      options(),
      'sao-joao',
      DEFAULT_SLA_TARGETS,
      AT,
    );
    checkAvailability(sla, 'sao-joao');
    expect(sla.burnRates[0].firing).toBe(true);
    expect(sla.burnRates[0].longRate).toBeGreaterThan(14.4);
    expect(sla.alert).toBe('page');
    // burning ≥ 1× over the slow window: at risk though budget is left
    expect(sla.availability.errorBudgetLeft).toBeGreaterThan(0.25);
    expect(sla.burnRates[2].longRate).toBeGreaterThanOrEqual(1);
    expect(sla.availability.verdict).toBe('at-risk');
    expect(sla.latency.verdict).toBe('breached');
    expect(sla.verdict).toBe('breached');
  });

  it('a counter reset is absorbed by increase() exactly as PromQL does', async () => {
    const sla = await readTenantSla(
      options(),
      'real-hospital-portugues',
      DEFAULT_SLA_TARGETS,
      AT,
    );
    checkAvailability(sla, 'real-hospital-portugues');
    // the reset did not turn into a negative count or a burst of errors
    const month = expected('real-hospital-portugues', '30d');
    expect(month.total).toBeGreaterThan(5 * 29 * DAY);
    expect(sla.verdict).toBe('met');
  });

  it('a tenant without traffic is unknown, not 100 %', async () => {
    const sla = await readTenantSla(
      options(),
      'quiet-clinic',
      DEFAULT_SLA_TARGETS,
      AT,
    );
    expect(sla.availability.value).toBeNull();
    expect(sla.availability.errorBudgetLeft).toBeNull();
    expect(sla.availability.verdict).toBe('unknown');
    expect(sla.latency.shareWithinTarget).toBeNull();
    expect(sla.alert).toBe('unknown');
    expect(sla.throughput.peakRps).toBeNull();
    expect(sla.verdict).toBe('unknown');
  });

  it('a target between buckets is imprecise; the p95 is interpolated like histogram_quantile', async () => {
    const sla = await readTenantSla(
      options(),
      'sao-joao',
      { ...DEFAULT_SLA_TARGETS, p95Seconds: 1.5 },
      AT,
    );
    expect(sla.latency.precision).toBe('imprecise');
    expect(sla.latency.bucketSeconds).toBe(1);
    const [answer] = await client.query(
      'histogram_quantile(0.95, sum by (le) (increase(http_server_request_duration_seconds_bucket{tenant="sao-joao"}[30d])))',
      AT,
    );
    expectClose(sla.latency.p95Seconds, answer.value);
    // and from the samples by the same rule
    const month = expected('sao-joao', '30d');
    const fromSamples = bucketQuantile(
      0.95,
      LE.map(le => ({
        le,
        count: month.bucket(le === Infinity ? '+Inf' : String(le)),
      })),
    );
    expectClose(sla.latency.p95Seconds, fromSamples!);
  });

  it("Prometheus' own error bodies become clear errors", async () => {
    await expect(client.query('sum(', AT)).rejects.toThrow(InputError);
    await expect(client.query('sum(', AT)).rejects.toThrow(
      /Prometheus refused the query \(bad_data: .*parse error/,
    );
    await expect(
      client.queryRange('up', new Date((T - 30 * DAY) * 1000), AT, 60),
    ).rejects.toThrow(/exceeded maximum resolution/);
  });
});
