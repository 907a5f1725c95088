import { z } from 'zod';

/*
 * The SLA facet of the tenant API (GET /tenants/{tenantId}/sla and
 * /sla/report), permission `hospital-tenants.sla.read`. The indicators are
 * defined in the backend plugin's README ("SLA indicators").
 */

/** @public */
export const slaVerdictSchema = z.enum([
  'met',
  'at-risk',
  'breached',
  'unknown',
]);
/** @public */
export type SlaVerdict = z.infer<typeof slaVerdictSchema>;

const num = z.number().nullable();

/**
 * `GET /tenants/{tenantId}/sla`.
 *
 * @public
 */
export const tenantSlaSchema = z.object({
  tenantId: z.string(),
  entityRef: z.string(),
  window: z.string(),
  targets: z.object({
    p95Seconds: z.number(),
    availability: z.number(),
    throughputRps: z.number(),
  }),
  verdict: slaVerdictSchema,
  availability: z.object({
    value: num,
    target: z.number(),
    badRequests: num,
    totalRequests: num,
    errorBudgetLeft: num,
    verdict: slaVerdictSchema,
  }),
  burnRates: z.array(
    z.object({
      severity: z.enum(['page', 'ticket']),
      longWindow: z.string(),
      shortWindow: z.string(),
      factor: z.number(),
      longRate: num,
      shortRate: num,
      firing: z.boolean(),
    }),
  ),
  alert: z.enum(['page', 'ticket', 'ok', 'unknown']),
  latency: z.object({
    shareWithinTarget: num,
    bucketSeconds: num,
    precision: z.enum(['exact', 'imprecise']),
    p95Seconds: num,
    targetSeconds: z.number(),
    verdict: slaVerdictSchema,
  }),
  throughput: z.object({
    peakRps: num,
    peakAt: z.string().nullable(),
    targetRps: z.number(),
    availabilityAtPeak: num,
    latencyShareAtPeak: num,
    heldAtPeak: z.boolean().nullable(),
    capacity: z.enum(['met', 'not-met', 'not-measured']),
    evidenceRps: num,
  }),
  asOf: z.iso.datetime({ offset: true }),
  stale: z.boolean(),
});
/** @public */
export type TenantSla = z.infer<typeof tenantSlaSchema>;

/**
 * The SLA part of a `GET /tenants` item (cache only; present where the
 * caller may read the tenant's SLA and Prometheus is configured). Before the
 * first refresh has computed the tenant's SLA, the verdict and alert are
 * `unknown`, `asOf` is null and `stale` true.
 *
 * @public
 */
export const tenantSlaSummarySchema = z.object({
  verdict: slaVerdictSchema,
  alert: z.enum(['page', 'ticket', 'ok', 'unknown']),
  asOf: z.string().nullable(),
  stale: z.boolean(),
});
/** @public */
export type TenantSlaSummary = z.infer<typeof tenantSlaSummarySchema>;

/**
 * `GET /tenants/{tenantId}/sla/report?period=YYYY-MM` (JSON; the same
 * figures are served as printable HTML for `Accept: text/html`).
 *
 * @public
 */
export const tenantSlaReportSchema = z.object({
  tenantId: z.string(),
  entityRef: z.string(),
  period: z.string(),
  locale: z.string(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  targets: tenantSlaSchema.shape.targets,
  availability: num,
  latencyShareWithinTarget: num,
  latencyPrecision: z.enum(['exact', 'imprecise']),
  p95Seconds: num,
  peakRps: num,
  peakAt: z.string().nullable(),
  budgetConsumed: num,
  verdict: slaVerdictSchema,
  breaches: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      indicator: z.enum(['availability', 'latency']),
      worst: z.number(),
    }),
  ),
  asOf: z.iso.datetime({ offset: true }),
  stale: z.boolean(),
});
/** @public */
export type TenantSlaReport = z.infer<typeof tenantSlaReportSchema>;

/** The most months `GET /tenants/{tenantId}/sla/history` answers. @public */
export const SLA_HISTORY_MAX_MONTHS = 12;

/** The months `GET /tenants/{tenantId}/sla/history` answers by default. @public */
export const SLA_HISTORY_DEFAULT_MONTHS = 6;

/**
 * One month of a tenant's SLA history: the monthly report's figures
 * (the running month up to now).
 *
 * @public
 */
export const tenantSlaHistoryMonthSchema = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  availability: num,
  latencyShareWithinTarget: num,
  budgetConsumed: num,
  verdict: slaVerdictSchema,
  breaches: z.number().int(),
  asOf: z.iso.datetime({ offset: true }),
  stale: z.boolean(),
});
/** @public */
export type TenantSlaHistoryMonth = z.infer<typeof tenantSlaHistoryMonthSchema>;

/**
 * `GET /tenants/{tenantId}/sla/history?months=N`: the last N calendar
 * months in the hospital's time zone, the running month first.
 *
 * @public
 */
export const tenantSlaHistorySchema = z.object({
  tenantId: z.string(),
  entityRef: z.string(),
  timeZone: z.string(),
  targets: tenantSlaSchema.shape.targets,
  months: z.array(tenantSlaHistoryMonthSchema),
  /** the oldest read among the months */
  asOf: z.iso.datetime({ offset: true }),
  /** whether any month is stale */
  stale: z.boolean(),
});
/** @public */
export type TenantSlaHistory = z.infer<typeof tenantSlaHistorySchema>;

/** A report period, `YYYY-MM`. @public */
export const SLA_REPORT_PERIOD_PATTERN = /^(20[0-9]{2})-(0[1-9]|1[0-2])$/;

/**
 * The documented default PromQL of the SLA indicators, over the
 * OpenTelemetry HTTP server metrics as Prometheus exposes them
 * (`http.server.request.duration`, seconds) with a `tenant` label; each
 * has `{{tenant}}` and `{{window}}` placeholders. Shared by the backend
 * (its defaults) and the local Prometheus simulator (the only queries it
 * answers).
 *
 * @public
 */
export const DEFAULT_SLA_QUERIES = {
  bad: 'sum(increase(http_server_request_duration_seconds_count{tenant="{{tenant}}",http_response_status_code=~"5.."}[{{window}}]))',
  total:
    'sum(increase(http_server_request_duration_seconds_count{tenant="{{tenant}}"}[{{window}}]))',
  buckets:
    'sum by (le) (increase(http_server_request_duration_seconds_bucket{tenant="{{tenant}}"}[{{window}}]))',
  rate: 'sum(rate(http_server_request_duration_seconds_count{tenant="{{tenant}}"}[{{window}}]))',
} as const;
