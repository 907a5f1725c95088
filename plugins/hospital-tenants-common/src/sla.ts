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
 * caller may read the tenant's SLA and a value has been computed).
 *
 * @public
 */
export const tenantSlaSummarySchema = z.object({
  verdict: slaVerdictSchema,
  alert: z.enum(['page', 'ticket', 'ok', 'unknown']),
  asOf: z.string(),
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
