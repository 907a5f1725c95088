import { SlaTargets } from './targets';

/** A verdict on one promise. */
export type SlaVerdict = 'met' | 'at-risk' | 'breached' | 'unknown';
/** The capacity promise is only `met` with evidence. */
export type CapacityVerdict = 'met' | 'not-met' | 'not-measured';
/** The multiwindow burn-rate alert state. */
export type BurnAlertState = 'page' | 'ticket' | 'ok' | 'unknown';

/** The SRE workbook's multiwindow, multi-burn-rate alerts (30-day SLO). */
export const BURN_RATE_ALERTS = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
] as const;

/** The slow window of the at-risk rule. */
export const SLOW_WINDOW = '3d';
/** Less budget left than this is at risk. */
export const AT_RISK_BUDGET_LEFT = 0.25;
/** The latency target is a 95th percentile. */
export const LATENCY_QUANTILE = 0.95;

/** A cumulative histogram bucket (`le` in seconds, `+Inf` as Infinity). */
export interface Bucket {
  le: number;
  count: number;
}

/** The raw figures read from Prometheus for one tenant at one evaluation time. */
export interface SlaRawFigures {
  /** the SLO window, e.g. `30d` */
  window: string;
  /** bad and total request counts per window (the SLO window and every alert window); `null` when absent */
  bad: Record<string, number | null>;
  total: Record<string, number | null>;
  /** cumulative buckets over the SLO window */
  buckets: Bucket[];
  /** the peak 5-minute request rate over the SLO window and what held at it */
  peak: {
    rps: number | null;
    at: string | null;
    bad: number | null;
    total: number | null;
    buckets: Bucket[];
  };
  /** the served req/s the capacity evidence shows, `null` when there is none */
  capacityEvidenceRps: number | null;
}

export interface BurnRate {
  severity: 'page' | 'ticket';
  longWindow: string;
  shortWindow: string;
  factor: number;
  longRate: number | null;
  shortRate: number | null;
  firing: boolean;
}

/** What the SLA route answers (without `asOf`/`stale`). */
export interface SlaIndicators {
  window: string;
  targets: SlaTargets;
  verdict: SlaVerdict;
  availability: {
    value: number | null;
    target: number;
    badRequests: number | null;
    totalRequests: number | null;
    errorBudgetLeft: number | null;
    verdict: SlaVerdict;
  };
  burnRates: BurnRate[];
  alert: BurnAlertState;
  latency: {
    /** share of requests at or under the target */
    shareWithinTarget: number | null;
    /** the bucket bound the share was counted at */
    bucketSeconds: number | null;
    precision: 'exact' | 'imprecise';
    /** interpolated like `histogram_quantile(0.95, …)` */
    p95Seconds: number | null;
    targetSeconds: number;
    verdict: SlaVerdict;
  };
  throughput: {
    peakRps: number | null;
    peakAt: string | null;
    targetRps: number;
    availabilityAtPeak: number | null;
    latencyShareAtPeak: number | null;
    heldAtPeak: boolean | null;
    capacity: CapacityVerdict;
    evidenceRps: number | null;
  };
}

const finite = (n: number | null | undefined): number | null =>
  n === null || n === undefined || !Number.isFinite(n) ? null : n;

/** `bad/total`, `null` without traffic (never 0 % errors for no requests). */
export function errorRatio(
  bad: number | null | undefined,
  total: number | null | undefined,
): number | null {
  const t = finite(total);
  if (t === null || t <= 0) return null;
  // no bad series at all means no 5xx was ever recorded
  return Math.min(1, Math.max(0, finite(bad) ?? 0) / t);
}

/** The bucket exactly at `le` (within float noise), else the nearest below. */
function bucketAt(buckets: Bucket[], le: number) {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const exact = sorted.find(b => Math.abs(b.le - le) <= 1e-9 * Math.max(1, le));
  if (exact) return { bucket: exact, exact: true };
  const below = sorted.filter(b => b.le < le).pop();
  return { bucket: below, exact: false };
}

/** Share of requests within `le`, from cumulative buckets. */
function shareWithin(buckets: Bucket[], le: number) {
  const inf = buckets.find(b => b.le === Infinity);
  const total = finite(inf?.count);
  const { bucket, exact } = bucketAt(buckets, le);
  if (total === null || total <= 0) {
    return { share: null, bucketSeconds: bucket?.le ?? null, exact };
  }
  const count = finite(bucket?.count) ?? 0;
  return {
    share: Math.min(1, Math.max(0, count / total)),
    bucketSeconds: bucket?.le ?? null,
    exact,
  };
}

/**
 * The quantile of cumulative buckets with `histogram_quantile`'s rules
 * (linear interpolation inside the bucket; the lowest bucket starts at 0;
 * a rank in the `+Inf` bucket answers the highest finite bound).
 */
export function bucketQuantile(q: number, buckets: Bucket[]): number | null {
  const sorted = buckets
    .filter(b => Number.isFinite(b.count))
    .sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted[sorted.length - 1].le !== Infinity) {
    return null;
  }
  // PromQL makes the counts monotonic before it interpolates
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].count < sorted[i - 1].count) {
      sorted[i] = { ...sorted[i], count: sorted[i - 1].count };
    }
  }
  const total = sorted[sorted.length - 1].count;
  if (total <= 0) return null;
  const rank = q * total;
  let i = sorted.findIndex(b => b.count >= rank);
  if (i === sorted.length - 1) return sorted[sorted.length - 2].le;
  if (i < 0) i = sorted.length - 1;
  let lower = 0;
  let countBelow = 0;
  if (i > 0) {
    lower = sorted[i - 1].le;
    countBelow = sorted[i - 1].count;
  } else if (sorted[0].le <= 0) {
    return sorted[0].le;
  }
  const upper = sorted[i].le;
  const inBucket = sorted[i].count - countBelow;
  if (inBucket <= 0) return upper;
  return lower + (upper - lower) * ((rank - countBelow) / inBucket);
}

function worst(verdicts: SlaVerdict[]): SlaVerdict {
  const known = verdicts.filter(v => v !== 'unknown');
  if (known.length === 0) return 'unknown';
  if (known.includes('breached')) return 'breached';
  if (known.includes('at-risk')) return 'at-risk';
  return 'met';
}

/** The verdict of one budget: breached when overspent, at risk when burning fast or nearly spent. */
function budgetVerdict(
  budgetLeft: number | null,
  slowBurn: number | null,
): SlaVerdict {
  if (budgetLeft === null) return 'unknown';
  if (budgetLeft < 0) return 'breached';
  if (budgetLeft < AT_RISK_BUDGET_LEFT || (slowBurn ?? 0) >= 1) {
    return 'at-risk';
  }
  return 'met';
}

/** Computes every indicator from the raw figures, against the tenant's own targets (README "SLA indicators"). */
export function computeIndicators(
  raw: SlaRawFigures,
  targets: SlaTargets,
): SlaIndicators {
  const budget = 1 - targets.availability;
  const ratio = errorRatio(raw.bad[raw.window], raw.total[raw.window]);
  const budgetLeft = ratio === null ? null : 1 - ratio / budget;
  const burn = (w: string) => {
    const r = errorRatio(raw.bad[w], raw.total[w]);
    return r === null ? null : r / budget;
  };
  const burnRates: BurnRate[] = BURN_RATE_ALERTS.map(a => {
    const longRate = burn(a.long);
    const shortRate = burn(a.short);
    return {
      severity: a.severity,
      longWindow: a.long,
      shortWindow: a.short,
      factor: a.factor,
      longRate,
      shortRate,
      firing:
        longRate !== null &&
        shortRate !== null &&
        longRate > a.factor &&
        shortRate > a.factor,
    };
  });
  let alert: BurnAlertState = 'ok';
  if (burnRates.every(b => b.longRate === null)) alert = 'unknown';
  else if (burnRates.some(b => b.firing && b.severity === 'page')) {
    alert = 'page';
  } else if (burnRates.some(b => b.firing)) alert = 'ticket';
  const availabilityVerdict = budgetVerdict(budgetLeft, burn(SLOW_WINDOW));

  const latency = shareWithin(raw.buckets, targets.p95Seconds);
  const latencyBudget = 1 - LATENCY_QUANTILE;
  const latencyBudgetLeft =
    latency.share === null ? null : 1 - (1 - latency.share) / latencyBudget;
  const latencyVerdict = budgetVerdict(latencyBudgetLeft, null);

  const peakRatio = errorRatio(raw.peak.bad, raw.peak.total);
  const peakLatency = shareWithin(raw.peak.buckets, targets.p95Seconds);
  const availabilityAtPeak = peakRatio === null ? null : 1 - peakRatio;
  const heldAtPeak =
    availabilityAtPeak === null || peakLatency.share === null
      ? null
      : availabilityAtPeak >= targets.availability &&
        peakLatency.share >= LATENCY_QUANTILE;
  const evidence = finite(raw.capacityEvidenceRps);
  let capacity: CapacityVerdict = 'not-measured';
  if (evidence !== null) {
    capacity = evidence >= targets.throughputRps ? 'met' : 'not-met';
  }

  return {
    window: raw.window,
    targets,
    verdict: worst([availabilityVerdict, latencyVerdict]),
    availability: {
      value: ratio === null ? null : 1 - ratio,
      target: targets.availability,
      badRequests: ratio === null ? null : finite(raw.bad[raw.window]) ?? 0,
      totalRequests: finite(raw.total[raw.window]),
      errorBudgetLeft: budgetLeft,
      verdict: availabilityVerdict,
    },
    burnRates,
    alert,
    latency: {
      shareWithinTarget: latency.share,
      bucketSeconds: latency.bucketSeconds,
      precision: latency.exact ? 'exact' : 'imprecise',
      p95Seconds: bucketQuantile(LATENCY_QUANTILE, raw.buckets),
      targetSeconds: targets.p95Seconds,
      verdict: latencyVerdict,
    },
    throughput: {
      peakRps: finite(raw.peak.rps),
      peakAt: raw.peak.at,
      targetRps: targets.throughputRps,
      availabilityAtPeak,
      latencyShareAtPeak: peakLatency.share,
      heldAtPeak,
      capacity,
      evidenceRps: evidence,
    },
  };
}
