import { InputError } from '@backstage/errors';
import { TenantSlaReport } from '@prontuario/plugin-hospital-tenants-common';
import {
  AT_RISK_BUDGET_LEFT,
  bucketQuantile,
  errorRatio,
  LATENCY_QUANTILE,
} from './indicators';
import { RangeSeries } from './PrometheusClient';
import {
  buckets,
  single,
  SlaReadOptions,
  PEAK_STEP_SECONDS,
} from './readTenantSla';
import { renderQuery } from './queries';
import { SlaTargets } from './targets';
import { monthInZone } from './zonedMonth';

/** The report without the tenant's ids and `asOf`/`stale`. */
export type MonthReport = Omit<
  TenantSlaReport,
  'tenantId' | 'entityRef' | 'asOf' | 'stale'
>;

const HOUR = 3600;

function byTime(series: RangeSeries[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of series) {
    for (const [t, v] of s.values) {
      out.set(t, (out.get(t) ?? 0) + v);
    }
  }
  return out;
}

/**
 * One month's report: availability, latency share and p95, peak
 * throughput, budget consumed over the month (to now for the running
 * month), and the breaches: runs of whole hours whose error ratio exceeded
 * the allowed share or whose latency share fell under 95 %, merged into
 * time ranges.
 */
export async function readMonthReport(
  options: SlaReadOptions,
  tenantId: string,
  targets: SlaTargets,
  period: string,
  locale: string,
  timeZone: string,
  now: Date,
): Promise<MonthReport> {
  const { client, templates } = options;
  const { from, to } = monthInZone(period, timeZone);
  if (from.getTime() >= now.getTime()) {
    throw new InputError(`The period ${period} has not started`);
  }
  const end = new Date(Math.min(to.getTime(), now.getTime()));
  const seconds = Math.floor((end.getTime() - from.getTime()) / 1000);
  const render = (template: string, window: string) =>
    renderQuery(template, { tenant: tenantId, window });
  const month = `${seconds}s`;
  const firstHour = new Date(from.getTime() + HOUR * 1000);
  const hourly = firstHour.getTime() <= end.getTime();
  const [bad, total, monthBuckets, rate, hourBad, hourTotal, hourBuckets] =
    await Promise.all([
      client.query(render(templates.bad, month), end),
      client.query(render(templates.total, month), end),
      client.query(render(templates.buckets, month), end),
      client.queryRange(
        render(templates.rate, '5m'),
        from,
        end,
        PEAK_STEP_SECONDS,
      ),
      hourly
        ? client.queryRange(render(templates.bad, '1h'), firstHour, end, HOUR)
        : Promise.resolve([]),
      hourly
        ? client.queryRange(render(templates.total, '1h'), firstHour, end, HOUR)
        : Promise.resolve([]),
      hourly
        ? client.queryRange(
            render(templates.buckets, '1h'),
            firstHour,
            end,
            HOUR,
          )
        : Promise.resolve([]),
    ]);

  const budget = 1 - targets.availability;
  const ratio = errorRatio(single(bad), single(total));
  const cumulative = buckets(monthBuckets);
  const inf = cumulative.find(b => b.le === Infinity)?.count ?? 0;
  const atTarget = cumulative.find(
    b => Math.abs(b.le - targets.p95Seconds) <= 1e-9,
  );
  const below = cumulative
    .filter(b => b.le <= targets.p95Seconds)
    .sort((a, b) => a.le - b.le)
    .pop();
  const latencyShare =
    inf > 0 && Number.isFinite(inf) ? (below?.count ?? 0) / inf : null;

  let peakRps: number | null = null;
  let peakAt: string | null = null;
  for (const s of rate) {
    for (const [t, v] of s.values) {
      if (Number.isFinite(v) && (peakRps === null || v > peakRps)) {
        peakRps = v;
        peakAt = new Date(t * 1000).toISOString();
      }
    }
  }

  // hourly breaches
  const badBy = byTime(hourBad);
  const totalBy = byTime(hourTotal);
  const leOf = (s: RangeSeries) =>
    s.metric.le === '+Inf' ? Infinity : Number(s.metric.le);
  const fastBy = byTime(
    hourBuckets.filter(s => below && Math.abs(leOf(s) - below.le) <= 1e-9),
  );
  const allBy = byTime(hourBuckets.filter(s => leOf(s) === Infinity));
  type Hour = {
    t: number;
    indicator: 'availability' | 'latency';
    value: number;
  };
  const bad1h: Hour[] = [];
  for (const [t, n] of [...totalBy.entries()].sort((a, b) => a[0] - b[0])) {
    const r = errorRatio(badBy.get(t) ?? 0, n);
    if (r !== null && r > budget) {
      bad1h.push({ t, indicator: 'availability', value: 1 - r });
    }
    const all = allBy.get(t);
    if (all && all > 0 && Number.isFinite(all)) {
      const share = (fastBy.get(t) ?? 0) / all;
      if (share < LATENCY_QUANTILE) {
        bad1h.push({ t, indicator: 'latency', value: share });
      }
    }
  }
  const breaches: MonthReport['breaches'] = [];
  for (const indicator of ['availability', 'latency'] as const) {
    let run: { start: number; end: number; worst: number } | undefined;
    const flush = () => {
      if (run) {
        breaches.push({
          from: new Date((run.start - HOUR) * 1000).toISOString(),
          to: new Date(run.end * 1000).toISOString(),
          indicator,
          worst: run.worst,
        });
      }
      run = undefined;
    };
    for (const h of bad1h.filter(b => b.indicator === indicator)) {
      if (run && h.t === run.end + HOUR) {
        run.end = h.t;
        run.worst = Math.min(run.worst, h.value);
      } else {
        flush();
        run = { start: h.t, end: h.t, worst: h.value };
      }
    }
    flush();
  }
  breaches.sort((a, b) => a.from.localeCompare(b.from));

  const budgetConsumed = ratio === null ? null : ratio / budget;
  let verdict: MonthReport['verdict'] = 'unknown';
  if (ratio !== null || latencyShare !== null) {
    if (
      (budgetConsumed !== null && budgetConsumed > 1) ||
      (latencyShare !== null && latencyShare < LATENCY_QUANTILE)
    ) {
      verdict = 'breached';
    } else if (
      budgetConsumed !== null &&
      budgetConsumed > 1 - AT_RISK_BUDGET_LEFT
    ) {
      verdict = 'at-risk';
    } else {
      verdict = 'met';
    }
  }
  return {
    period,
    locale,
    timeZone,
    from: from.toISOString(),
    to: end.toISOString(),
    targets,
    availability: ratio === null ? null : 1 - ratio,
    latencyShareWithinTarget: latencyShare,
    latencyPrecision: atTarget ? 'exact' : 'imprecise',
    p95Seconds: bucketQuantile(LATENCY_QUANTILE, cumulative),
    peakRps,
    peakAt,
    budgetConsumed,
    verdict,
    breaches,
  };
}
