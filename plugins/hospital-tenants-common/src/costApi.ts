import { z } from 'zod';

/**
 * Response schemas of the cost routes of the tenant API
 * (`/tenants/{id}/cost`, `/costs/summary`), for clients: parse what the
 * server sends before showing it. Money in BRL.
 */

const breakdownSchema = z.object({
  compute: z.number(),
  storage: z.number(),
  network: z.number(),
  shared: z.number(),
});

const efficiencySchema = z
  .object({
    cpu: z.number().nullable(),
    ram: z.number().nullable(),
    total: z.number().nullable(),
  })
  .nullable();

const periodTotalsSchema = z.object({
  period: z.string(),
  through: z.string().optional(),
  total: z.number(),
  breakdown: breakdownSchema,
  components: z.object({
    workloads: z.number(),
    controlPlane: z.number(),
    platformShare: z.number(),
  }),
  idleExcluded: z.number(),
  efficiency: efficiencySchema,
});

/** @public */
export const budgetStatusSchema = z
  .enum(['under', 'at-risk', 'over'])
  .nullable();

const savingsSchema = z.object({
  available: z.boolean(),
  reason: z.string().optional(),
  monthlyTotal: z.number().optional(),
  top: z
    .array(
      z.object({
        namespace: z.string(),
        controller: z.string(),
        container: z.string(),
        monthlySavings: z.number(),
      }),
    )
    .optional(),
});

/**
 * `GET /tenants/{tenantId}/cost`.
 *
 * @public
 */
export const tenantCostSchema = z.object({
  tenantId: z.string(),
  currency: z.literal('BRL'),
  timeZone: z.string(),
  source: z.enum(['kubecost', 'opencost']),
  monthToDate: periodTotalsSchema,
  previousMonth: periodTotalsSchema,
  efficiency: efficiencySchema,
  daily: z.array(z.object({ day: z.string(), total: z.number() })),
  /** oldest first: up to 12 months and the current one (`complete: false`) */
  monthly: z.array(
    z.object({
      period: z.string(),
      total: z.number(),
      complete: z.boolean(),
      budgetStatus: budgetStatusSchema,
    }),
  ),
  forecast: z.object({ total: z.number(), method: z.string() }),
  dailyUsers: z.number().nullable(),
  costPerDailyUser: z
    .object({ previousMonth: z.number(), forecast: z.number() })
    .nullable(),
  budget: z
    .object({
      monthlyBrl: z.number(),
      atRiskPercent: z.number(),
      forecastStatus: budgetStatusSchema,
      monthToDateStatus: budgetStatusSchema,
      previousMonthStatus: budgetStatusSchema,
      forecastPercent: z.number(),
    })
    .nullable(),
  savings: savingsSchema,
  asOf: z.string().nullable(),
  stale: z.boolean(),
});

/**
 * `GET /costs/summary` (JSON).
 *
 * @public
 */
export const costSummarySchema = z.object({
  period: z.string(),
  previousPeriod: z.string(),
  currency: z.literal('BRL'),
  total: z.number(),
  previousTotal: z.number(),
  growthPercent: z.number().nullable(),
  byCategory: breakdownSchema,
  tenants: z.array(
    z.object({
      tenantId: z.string(),
      entityRef: z.string(),
      displayName: z.string().nullable().optional(),
      total: z.number(),
      previousTotal: z.number(),
      sharePercent: z.number().nullable(),
      growthPercent: z.number().nullable(),
      breakdown: breakdownSchema,
      monthlyBudgetBrl: z.number().nullable(),
      budgetStatus: budgetStatusSchema,
      savingsMonthly: z.number().nullable(),
    }),
  ),
  drivers: z.array(
    z.object({
      tenantId: z.string(),
      category: z.string(),
      previous: z.number(),
      current: z.number(),
      delta: z.number(),
    }),
  ),
  topMovers: z.array(
    z.object({
      tenantId: z.string(),
      delta: z.number(),
      growthPercent: z.number().nullable(),
    }),
  ),
  savings: savingsSchema,
  asOf: z.string().nullable(),
  stale: z.boolean(),
});

/**
 * The cost fields of a tenant in `GET /tenants` (where the caller may read its cost).
 *
 * @public
 */
export const tenantListCostSchema = z.object({
  monthToDateBrl: z.number(),
  previousMonthBrl: z.number(),
  forecastBrl: z.number(),
  monthlyBudgetBrl: z.number().nullable(),
  budgetStatus: budgetStatusSchema,
  asOf: z.string().nullable(),
  stale: z.boolean(),
});

/** @public */
export type TenantCost = z.infer<typeof tenantCostSchema>;
/** @public */
export type CostSummary = z.infer<typeof costSummarySchema>;
/** @public */
export type TenantListCost = z.infer<typeof tenantListCostSchema>;
/** @public */
export type BudgetStatus = z.infer<typeof budgetStatusSchema>;
