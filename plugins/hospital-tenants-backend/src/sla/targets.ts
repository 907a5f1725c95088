import { LoggerService } from '@backstage/backend-plugin-api';

/** A tenant's own SLA targets. */
export interface SlaTargets {
  /** p95 latency target in seconds */
  p95Seconds: number;
  /** availability target as a fraction (0.999) */
  availability: number;
  /** promised capacity in requests per second */
  throughputRps: number;
}

export const SLA_ANNOTATIONS = {
  p95Seconds: 'hospital-tenants.io/sla-p95-seconds',
  availability: 'hospital-tenants.io/sla-availability',
  throughputRps: 'hospital-tenants.io/sla-throughput-rps',
} as const;

/** The promise of the platform when an entity says nothing. */
export const DEFAULT_SLA_TARGETS: SlaTargets = {
  p95Seconds: 2,
  availability: 0.999,
  throughputRps: 1000,
};

const NUMBER = /^[0-9]+(\.[0-9]+)?%?$/;

/**
 * Reads the targets from an entity's annotations. Availability is a fraction
 * (`0.999`) or a percentage (`99.9` or `99.9%`); each malformed value is
 * ignored with a warning and the default applies.
 */
export function readSlaTargets(
  annotations: Record<string, string> | undefined,
  logger?: LoggerService,
  entityRef = 'the tenant',
): SlaTargets {
  const read = (key: keyof SlaTargets, ok: (n: number) => boolean) => {
    const raw = annotations?.[SLA_ANNOTATIONS[key]]?.trim();
    if (raw === undefined) return DEFAULT_SLA_TARGETS[key];
    let value = NUMBER.test(raw) ? Number(raw.replace('%', '')) : NaN;
    if (key === 'availability' && (raw.endsWith('%') || value > 1)) {
      // 99.9 / 100 is 0.9990000000000001 in binary floating point
      value = Number((value / 100).toPrecision(12));
    }
    if (!Number.isFinite(value) || !ok(value)) {
      logger?.warn(
        `Ignoring ${SLA_ANNOTATIONS[key]}=${JSON.stringify(
          raw,
        )} on ${entityRef}; using ${DEFAULT_SLA_TARGETS[key]}`,
      );
      return DEFAULT_SLA_TARGETS[key];
    }
    return value;
  };
  return {
    p95Seconds: read('p95Seconds', n => n > 0 && n <= 3600),
    availability: read('availability', n => n > 0 && n < 1),
    throughputRps: read('throughputRps', n => n > 0),
  };
}
