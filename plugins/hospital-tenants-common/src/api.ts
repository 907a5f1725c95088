import { z } from 'zod';
import { tenantListCostSchema } from './costApi';
import { DNS_1035_LABEL } from './names';
import { MAX_SLUG_LENGTH } from './constants';
import { tenantSlaSummarySchema } from './sla';

/*
 * The tenant API's response types (GET /api/hospital-tenants/...) and the
 * zod parsers clients validate them with. The OpenAPI document of the
 * backend plugin (src/schema/openapi.yaml) describes the same shapes.
 */

/**
 * A tenant id as the API accepts it: the slug, a DNS-1035 label of at most
 * {@link MAX_SLUG_LENGTH} characters.
 *
 * @public
 */
export const TENANT_ID_PATTERN = DNS_1035_LABEL;

/**
 * Whether a string is a well-formed tenant id.
 *
 * @public
 */
export function isTenantId(value: string): boolean {
  return value.length <= MAX_SLUG_LENGTH && TENANT_ID_PATTERN.test(value);
}

/** Every payload built from an upstream: when it was read and whether it is older than its freshness window. */
const freshness = {
  asOf: z.iso.datetime({ offset: true }),
  stale: z.boolean(),
};

/**
 * A Kubernetes-style condition of the control plane's Deployment.
 *
 * @public
 */
export const tenantConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});

/**
 * `GET /tenants/{tenantId}/status`.
 *
 * @public
 */
export const tenantStatusSchema = z.object({
  tenantId: z.string(),
  entityRef: z.string(),
  /** Kamaji's `status.kubernetesResources.version.status` (Ready, Sleeping, …), or `pending` while Kamaji has not reported. */
  phase: z.string(),
  version: z.object({
    desired: z.string().nullable(),
    observed: z.string().nullable(),
  }),
  endpoint: z.string().nullable(),
  replicas: z.object({
    desired: z.number().int().nullable(),
    ready: z.number().int().nullable(),
  }),
  conditions: z.array(tenantConditionSchema),
  dataStore: z.object({
    name: z.string().nullable(),
    driver: z.string().nullable(),
    schema: z.string().nullable(),
  }),
  createdAt: z.string().nullable(),
  ageSeconds: z.number().int().nullable(),
  ...freshness,
});

/**
 * The result of one isolation check.
 *
 * @public
 */
export const isolationResultSchema = z.enum(['pass', 'fail', 'unknown']);

/**
 * One isolation check, with the evidence it was decided on.
 *
 * @public
 */
export const isolationCheckSchema = z.object({
  id: z.string(),
  layer: z.enum(['management', 'tenant']),
  title: z.string(),
  result: isolationResultSchema,
  evidence: z.array(z.string()),
});

/**
 * Use of one resource of the tenant's management-namespace quota.
 *
 * @public
 */
export const quotaUsageSchema = z.object({
  resource: z.string(),
  used: z.string(),
  hard: z.string(),
  percent: z.number().nullable(),
});

/**
 * The score summarising the checks: `percent` is passed / total (an
 * `unknown` never counts as passed).
 *
 * @public
 */
export const isolationScoreSchema = z.object({
  passed: z.number().int(),
  failed: z.number().int(),
  unknown: z.number().int(),
  total: z.number().int(),
  percent: z.number().int(),
});

/**
 * `GET /tenants/{tenantId}/isolation`.
 *
 * @public
 */
export const tenantIsolationSchema = z.object({
  tenantId: z.string(),
  entityRef: z.string(),
  score: isolationScoreSchema,
  checks: z.array(isolationCheckSchema),
  quota: z.array(quotaUsageSchema),
  ...freshness,
});

/**
 * A tenant's summary in the list, from cache only (null fields: not read yet).
 *
 * @public
 */
export const tenantSummarySchema = z.object({
  phase: z.string().nullable(),
  version: z.string().nullable(),
  isolationScore: z.number().int().nullable(),
  asOf: z.string().nullable(),
  stale: z.boolean(),
});

/**
 * One tenant of `GET /tenants`; `summary` is present only where the caller
 * may read the tenant's status (`hospital-tenants.tenant.read`).
 *
 * @public
 */
export const tenantListItemSchema = z.object({
  tenantId: z.string(),
  entityRef: z.string(),
  summary: tenantSummarySchema.optional(),
  /** present where the caller may read the tenant's cost (`hospital-tenants.cost.read`) and cost is configured */
  cost: tenantListCostSchema.optional(),
  /** the SLA verdict, where the caller may read the tenant's SLA (`hospital-tenants.sla.read`) */
  sla: tenantSlaSummarySchema.optional(),
});

/**
 * `GET /tenants`.
 *
 * @public
 */
export const tenantListSchema = z.object({
  items: z.array(tenantListItemSchema),
  nextCursor: z.string().optional(),
});

/** @public */
export type TenantCondition = z.infer<typeof tenantConditionSchema>;
/** @public */
export type TenantStatus = z.infer<typeof tenantStatusSchema>;
/** @public */
export type IsolationResult = z.infer<typeof isolationResultSchema>;
/** @public */
export type IsolationCheck = z.infer<typeof isolationCheckSchema>;
/** @public */
export type QuotaUsage = z.infer<typeof quotaUsageSchema>;
/** @public */
export type IsolationScore = z.infer<typeof isolationScoreSchema>;
/** @public */
export type TenantIsolation = z.infer<typeof tenantIsolationSchema>;
/** @public */
export type TenantSummary = z.infer<typeof tenantSummarySchema>;
/** @public */
export type TenantListItem = z.infer<typeof tenantListItemSchema>;
/** @public */
export type TenantList = z.infer<typeof tenantListSchema>;
