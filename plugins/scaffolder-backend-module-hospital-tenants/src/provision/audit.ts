import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { TenantSpec } from '@prontuario/plugin-hospital-tenants-common';
import { TenantProvisioningPlan } from '@prontuario/plugin-hospital-tenants-node';

/** The spec fields an audit event may carry (no free text). */
const AUDIT_SPEC_FIELDS = [
  'slug',
  'region',
  'environment',
  'dailyUsers',
  'kubernetesVersion',
  'dataStore',
  'monthlyBudgetBrl',
  'ownerGroup',
] as const;

/** The audit event of one run. */
export type ProvisionAuditEvent = Awaited<
  ReturnType<AuditorService['createEvent']>
>;

/**
 * Opens the `tenant-provision` audit event of a run (severity `medium`),
 * naming the tenant only when its slug is a well-formed label.
 */
export function startProvisionAudit(
  auditor: AuditorService,
  facts: {
    isDryRun?: boolean;
    taskId: string;
    templateRef?: string;
    initiator?: string;
    slug: unknown;
  },
): Promise<ProvisionAuditEvent> {
  return auditor.createEvent({
    eventId: 'tenant-provision',
    severityLevel: 'medium',
    meta: {
      actionType: facts.isDryRun ? 'dry-run' : 'create',
      taskId: facts.taskId,
      ...(facts.templateRef ? { templateRef: facts.templateRef } : {}),
      ...(facts.initiator ? { initiator: facts.initiator } : {}),
      ...(safeAuditSlug(facts.slug) ? { tenantId: facts.slug } : {}),
    },
  });
}

function safeAuditSlug(slug: unknown): slug is string {
  return typeof slug === 'string' && /^[a-z][-a-z0-9]{0,62}$/.test(slug);
}

/** The allow-listed spec fields and counts (never names or free text). */
export function auditSpec(spec: TenantSpec): JsonObject {
  const out: JsonObject = {};
  for (const f of AUDIT_SPEC_FIELDS) out[f] = spec[f];
  out.departmentCount = spec.departments.length;
  out.approvedExternalApiCidrCount = spec.approvedExternalApiCidrs.length;
  out.sla = { ...spec.sla };
  return out;
}

/** The sizing, cost and object counts of the plan. */
export function auditPlan(plan: TenantProvisioningPlan): JsonObject {
  const q = plan.sizing.management.quota;
  return {
    tier: plan.sizing.tier,
    controlPlaneReplicas: plan.sizing.controlPlane.replicas,
    managementQuota: {
      cpuMillicores: q.cpuMillicores,
      memoryMebibytes: q.memoryMebibytes,
      pods: q.pods,
    },
    costEstimateBrl: {
      low: plan.costEstimate.monthlyLowBrl,
      high: plan.costEstimate.monthlyHighBrl,
    },
    objects: {
      management: plan.management.length + plan.runScopedGrant.length,
      tenant: plan.tenant.length,
    },
  };
}
