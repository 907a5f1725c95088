/**
 * Test series for the SLA indicators: OpenTelemetry HTTP server histograms
 * (`http_server_request_duration_seconds`) per tenant and status code, as
 * OpenMetrics for `promtool`, plus PromQL's own rules to compute what
 * Prometheus must answer from the same samples.
 */

/** Bucket bounds of the documented metrics (the 2 s target is one). */
export const LE = [0.1, 0.5, 1, 2, 5, Infinity];

export interface TenantProfile {
  tenant: string;
  /** requests per second at t (unix seconds) */
  rps(t: number): number;
  /** share of 5xx at t */
  errorShare(t: number): number;
  /** cumulative share of requests within each bound of LE (last = 1) */
  latency: number[];
  /** unix seconds at which the process restarts (counters reset to 0) */
  resetAt?: number;
}

/** One stored sample. */
export interface Point {
  t: number;
  v: number;
}

/** A series: its labels and samples in time order. */
export interface Series {
  name: string;
  labels: Record<string, string>;
  points: Point[];
}

const leLabel = (le: number) => (le === Infinity ? '+Inf' : String(le));

/**
 * Sample times: hourly history from `from`, then one a minute for the last
 * `fineHours` before `end`, all at second 17 (off every window boundary,
 * which sit on whole minutes: Prometheus 2.42 counts a sample on a range's
 * lower bound).
 */
export function sampleTimes(from: number, end: number, fineHours: number) {
  const times: number[] = [];
  const fineFrom = end - fineHours * 3600;
  for (let t = from + 17; t < fineFrom; t += 3600) times.push(t);
  for (let t = fineFrom + 17; t < end; t += 60) times.push(t);
  return times;
}

/** Builds every series of the profiles over `times` (integer counters, buckets cumulative). */
export function buildSeries(
  profiles: TenantProfile[],
  times: number[],
): Series[] {
  const out: Series[] = [];
  for (const p of profiles) {
    for (const code of ['200', '500']) {
      const labels = { tenant: p.tenant, http_response_status_code: code };
      const buckets = LE.map(le => ({
        name: 'http_server_request_duration_seconds_bucket',
        labels: { ...labels, le: leLabel(le) },
        points: [] as Point[],
      }));
      const count: Series = {
        name: 'http_server_request_duration_seconds_count',
        labels,
        points: [],
      };
      const sum: Series = {
        name: 'http_server_request_duration_seconds_sum',
        labels,
        points: [],
      };
      let c = 0;
      let s = 0;
      const b = LE.map(() => 0);
      let prev = times[0] - 60;
      for (const t of times) {
        if (p.resetAt !== undefined && prev < p.resetAt && t >= p.resetAt) {
          c = 0;
          s = 0;
          b.fill(0);
        }
        const dt = t - prev;
        const share = code === '500' ? p.errorShare(t) : 1 - p.errorShare(t);
        const inc = Math.round(p.rps(t) * dt * share);
        c += inc;
        s += inc * 0.3;
        LE.forEach((_le, i) => {
          b[i] += i === LE.length - 1 ? inc : Math.round(inc * p.latency[i]);
        });
        buckets.forEach((series, i) => series.points.push({ t, v: b[i] }));
        count.points.push({ t, v: c });
        sum.points.push({ t, v: s });
        prev = t;
      }
      out.push(...buckets, count, sum);
    }
  }
  return out;
}

const labelText = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

/** OpenMetrics for `promtool tsdb create-blocks-from openmetrics`. */
export function toOpenMetrics(series: Series[]): string {
  const lines = [
    '# HELP http_server_request_duration_seconds Duration of HTTP server requests.',
    '# TYPE http_server_request_duration_seconds histogram',
    '# UNIT http_server_request_duration_seconds seconds',
  ];
  for (const s of series) {
    for (const { t, v } of s.points) {
      lines.push(`${s.name}${labelText(s.labels)} ${v} ${t}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

/**
 * `increase(series[range])` at `at`, by Prometheus 2.42's
 * `extrapolatedRate` (samples in `[at - range, at]`, counter resets added,
 * extrapolation to the range's edges limited by 1.1 × the average interval
 * and by the counter's zero point). `undefined` with fewer than 2 samples.
 */
export function promIncrease(
  points: Point[],
  at: number,
  range: number,
): number | undefined {
  const start = at - range;
  const inRange = points.filter(p => p.t >= start && p.t <= at);
  if (inRange.length < 2) return undefined;
  const first = inRange[0];
  const last = inRange[inRange.length - 1];
  let result = last.v - first.v;
  let lastValue = 0;
  for (const p of inRange) {
    if (p.v < lastValue) result += lastValue;
    lastValue = p.v;
  }
  let durationToStart = first.t - start;
  const durationToEnd = at - last.t;
  const sampled = last.t - first.t;
  const average = sampled / (inRange.length - 1);
  if (result > 0 && first.v >= 0) {
    const durationToZero = sampled * (first.v / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += durationToStart < threshold ? durationToStart : average / 2;
  interval += durationToEnd < threshold ? durationToEnd : average / 2;
  return result * (interval / sampled);
}

/** `sum(increase(name{match}[range]))` at `at`; `undefined` when no series has an increase. */
export function promSumIncrease(
  series: Series[],
  name: string,
  match: (labels: Record<string, string>) => boolean,
  at: number,
  range: number,
): number | undefined {
  let total: number | undefined;
  for (const s of series) {
    if (s.name !== name || !match(s.labels)) continue;
    const inc = promIncrease(s.points, at, range);
    if (inc !== undefined) total = (total ?? 0) + inc;
  }
  return total;
}
