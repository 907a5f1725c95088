import {
  computeIndicators,
  Bucket,
  SlaIndicators,
  SlaRawFigures,
} from './indicators';
import { InstantSample, PrometheusClient } from './PrometheusClient';
import { BURN_WINDOWS, renderQuery, SlaQueryTemplates } from './queries';
import { SlaTargets } from './targets';

/** The 5-minute step of the peak-throughput range query. */
export const PEAK_STEP_SECONDS = 300;

/** What one evaluation needs. */
export interface SlaReadOptions {
  client: PrometheusClient;
  templates: SlaQueryTemplates;
  /** the SLO window as a Prometheus duration (`30d`) */
  window: string;
}

/** `30d` → seconds. */
export function windowSeconds(window: string): number {
  const n = Number(window.slice(0, -1));
  const unit = window.slice(-1);
  return (
    n * ({ s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[unit]
  );
}

/** The single value of a sum without `by`: `null` for an empty result, kept NaN/Inf become `null` later. */
export function single(samples: InstantSample[]): number | null {
  return samples.length === 0 ? null : samples[0].value;
}

export function buckets(samples: InstantSample[]): Bucket[] {
  return samples
    .filter(s => s.metric.le !== undefined)
    .map(s => ({
      le: s.metric.le === '+Inf' ? Infinity : Number(s.metric.le),
      count: s.value,
    }))
    .filter(b => !Number.isNaN(b.le));
}

/**
 * Reads a tenant's raw figures from Prometheus at `time` (queries filled
 * only from the tenant's id) and computes its indicators. Runs in the
 * scheduled refresh, never on a request: it includes a range query over
 * the whole SLO window.
 */
export async function readTenantSla(
  options: SlaReadOptions,
  tenantId: string,
  targets: SlaTargets,
  time: Date,
): Promise<SlaIndicators> {
  const { client, templates, window } = options;
  const q = (template: string, w: string, at: Date = time) =>
    client.query(renderQuery(template, { tenant: tenantId, window: w }), at);
  const windows = [window, ...BURN_WINDOWS];
  const [badList, totalList, bucketSamples, rate, evidence] = await Promise.all(
    [
      Promise.all(windows.map(w => q(templates.bad, w))),
      Promise.all(windows.map(w => q(templates.total, w))),
      q(templates.buckets, window),
      client.queryRange(
        renderQuery(templates.rate, { tenant: tenantId, window: '5m' }),
        new Date(time.getTime() - windowSeconds(window) * 1000),
        time,
        PEAK_STEP_SECONDS,
      ),
      templates.capacityEvidence
        ? q(templates.capacityEvidence, window)
        : Promise.resolve([]),
    ],
  );
  const bad: Record<string, number | null> = {};
  const total: Record<string, number | null> = {};
  windows.forEach((w, i) => {
    bad[w] = single(badList[i]);
    total[w] = single(totalList[i]);
  });

  let peakRps: number | null = null;
  let peakT: number | null = null;
  for (const series of rate) {
    for (const [t, v] of series.values) {
      if (Number.isFinite(v) && (peakRps === null || v > peakRps)) {
        peakRps = v;
        peakT = t;
      }
    }
  }
  const peak: SlaRawFigures['peak'] = {
    rps: peakRps,
    at: peakT === null ? null : new Date(peakT * 1000).toISOString(),
    bad: null,
    total: null,
    buckets: [],
  };
  if (peakT !== null) {
    const at = new Date(peakT * 1000);
    const [pb, pt, pk] = await Promise.all([
      q(templates.bad, '5m', at),
      q(templates.total, '5m', at),
      q(templates.buckets, '5m', at),
    ]);
    peak.bad = single(pb);
    peak.total = single(pt);
    peak.buckets = buckets(pk);
  }

  return computeIndicators(
    {
      window,
      bad,
      total,
      buckets: buckets(bucketSamples),
      peak,
      capacityEvidenceRps: single(evidence),
    },
    targets,
  );
}
