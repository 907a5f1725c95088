import type { z as zImpl } from 'zod/v3';
import {
  HospitalTenantsConfig,
  MAX_DAILY_USERS,
  MAX_DEPARTMENTS,
  MAX_SLUG_LENGTH,
  TenantSpec,
  TenantSpecIssue,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  InvalidTenantSpecError,
  tenantSpecIssue,
  validateTenantSpec,
} from '@prontuario/plugin-hospital-tenants-node';

/**
 * The action input: the tenant spec fields exactly as the domain core's
 * `tenantSpecBaseSchema` names them (a template passes its form values
 * straight through), plus `keepOnFailure`. The types are checked here; every
 * rule is the domain core's (`parseTenantSpec`), so a template and
 * `yarn render-tenant` agree on what is valid. `clusterGroup` is not an
 * input: it comes from the owner group's catalog entity.
 */
export const tenantInputSchema = (z: typeof zImpl) =>
  z
    .object({
      displayName: z
        .string()
        .describe(
          'Hospital name shown in the portal (at most 100 characters, no control characters or template syntax).',
        ),
      slug: z
        .string()
        .describe(
          `Tenant id: a DNS-1035 label of at most ${MAX_SLUG_LENGTH} characters. Names the management namespace tenant-<slug>, the TenantControlPlane and the catalog entity resource:default/<slug>.`,
        ),
      region: z
        .string()
        .describe(
          'Region, one of hospitalTenants.regions in the backend configuration.',
        ),
      environment: z
        .string()
        .describe('Environment of the region, e.g. production or staging.'),
      dailyUsers: z
        .number()
        .describe(
          `Daily active users (1 to ${MAX_DAILY_USERS}); drives the sizing.`,
        ),
      departments: z
        .array(z.string())
        .describe(
          `Hospital departments (1 to ${MAX_DEPARTMENTS}); each becomes a locked-down namespace in the tenant cluster.`,
        ),
      kubernetesVersion: z
        .string()
        .optional()
        .describe(
          'Kubernetes version of the control plane; default: the configured default.',
        ),
      dataStore: z
        .string()
        .optional()
        .describe(
          'Kamaji DataStore; default: the first one configured for the region and environment.',
        ),
      sla: z
        .object({
          p95Seconds: z
            .number()
            .optional()
            .describe('p95 latency target in seconds (default 2).'),
          availabilityPercent: z
            .number()
            .optional()
            .describe('Availability target in percent (default 99.9).'),
          throughputRps: z
            .number()
            .optional()
            .describe(
              'Throughput target in requests per second (default 1000).',
            ),
        })
        .optional()
        .describe('Service level targets.'),
      monthlyBudgetBrl: z.number().describe('Monthly budget in BRL.'),
      ownerGroup: z
        .string()
        .describe(
          'Owning group entity ref (group:default/<name>); the group must exist and carry the hospital-tenants.io/cluster-group annotation.',
        ),
      approvedExternalApiCidrs: z
        .array(z.string())
        .optional()
        .describe(
          'Public IPv4 CIDRs the departments may call; default: the configured defaults. Must not overlap private, platform or any tenant worker range.',
        ),
      keepOnFailure: z
        .boolean()
        .optional()
        .describe(
          'Keep what this run created when it fails (for debugging). Default false: a failed run deletes exactly the objects it created.',
        ),
    })
    .describe('A hospital tenant spec.');

/** The action input, as the handler receives it. */
export type TenantInput = zImpl.infer<ReturnType<typeof tenantInputSchema>>;

/**
 * Slugs refused even though they are valid DNS labels: they would make the
 * tenant's names read like the platform's own (`tenant-kube-system`,
 * a TenantControlPlane `kamaji`, an entity `resource:default/default`).
 */
export const RESERVED_SLUGS: readonly string[] = [
  'admin',
  'backstage',
  'default',
  'kamaji',
  'kamaji-system',
  'kube',
  'kubernetes',
  'management',
  'monitoring',
  'platform',
  'portal',
  'system',
  'tenant',
];

const TEMPLATE_SYNTAX = /\$\{\{|\{\{|\}\}|\{%|%\}|\{#|#\}|\$\{/;
const YAML_LEADING_INDICATOR = /^\s*(?:[!&*|>%@`]|---|\.\.\.)/;
const YAML_TAG = /!!|!</;

function textProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (TEMPLATE_SYNTAX.test(value)) {
    return 'must not contain template syntax (${{ }}, {{ }}, {% %}, ${ })';
  }
  if (YAML_LEADING_INDICATOR.test(value) || YAML_TAG.test(value)) {
    return 'must not start with a YAML indicator (! & * | > % @ ` --- ...) or contain a YAML tag (!!)';
  }
  return undefined;
}

/**
 * Checks the input before anything is touched: the action's own guards
 * (reserved slugs, template and YAML syntax in free text), then every rule
 * of the domain core. Throws one `InvalidTenantSpecError` (an `InputError`)
 * whose `issues` list every problem, each naming its field.
 */
export function validateTenantInput(
  input: TenantInput,
  config: HospitalTenantsConfig,
): TenantSpec {
  const { keepOnFailure: _keep, ...raw } = input as TenantInput & {
    keepOnFailure?: boolean;
  };
  const issues: TenantSpecIssue[] = [];
  if ('clusterGroup' in (raw as object)) {
    issues.push(
      tenantSpecIssue(
        'clusterGroup',
        `is not an input; it comes from the owner group's hospital-tenants.io/cluster-group annotation`,
      ),
    );
    delete (raw as { clusterGroup?: unknown }).clusterGroup;
  }
  if (typeof raw.slug === 'string') {
    if (
      RESERVED_SLUGS.includes(raw.slug) ||
      /^(kube|system|kamaji)-/.test(raw.slug)
    ) {
      issues.push(
        tenantSpecIssue(
          'slug',
          `"${raw.slug}" is reserved (${RESERVED_SLUGS.join(
            ', ',
          )}, kube-*, system-*, kamaji-*)`,
        ),
      );
    }
  }
  const displayProblem = textProblem(raw.displayName);
  if (displayProblem) {
    issues.push(tenantSpecIssue('displayName', displayProblem));
  }
  if (Array.isArray(raw.departments)) {
    raw.departments.forEach((d, i) => {
      const p = textProblem(d);
      if (p) issues.push(tenantSpecIssue(`departments[${i}]`, p));
    });
  }
  let spec: TenantSpec | undefined;
  try {
    spec = validateTenantSpec(raw, config);
  } catch (error) {
    if (!(error instanceof InvalidTenantSpecError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || !spec) {
    throw new InvalidTenantSpecError(issues);
  }
  return spec;
}
