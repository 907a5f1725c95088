import {
  formatCpu,
  formatMemory,
  TARGET_CLUSTER_ANNOTATION,
  TargetCluster,
} from '@prontuario/plugin-hospital-tenants-common';
import { parse, stringify } from 'yaml';
import type { TenantProvisioningPlan } from './planTenantProvisioning';
import { KubernetesObject, TargetedObject, TenantPlan } from './types';

/**
 * The plan's objects in apply order, each with the cluster it targets.
 *
 * @public
 */
export function listPlanObjects(plan: TenantPlan): TargetedObject[] {
  return [
    ...plan.management.map(object => ({
      target: 'management-cluster' as TargetCluster,
      object,
    })),
    ...plan.tenant.map(object => ({
      target: 'tenant-cluster' as TargetCluster,
      object,
    })),
  ];
}

function describe(object: KubernetesObject): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind} ${ns}${object.metadata.name}`;
}

import { PROVISIONED_LABEL } from '../cluster/kubeconfigAccess';
import { API_SERVER_CA_ANNOTATION } from '../cluster/tenantReaderIdentity';

/**
 * The header line that opens the run-scoped grant.
 *
 * @public
 */
export const RUN_SCOPED_GRANT_HEADER =
  '# Run-scoped grant: what a provisioning run grants itself while it runs (applied right after the Namespace; not part of the tenant, so not a document below):';

function runScopedGrantHeader(grant: KubernetesObject[]): string[] {
  if (grant.length === 0) return [];
  return [
    RUN_SCOPED_GRANT_HEADER,
    ...grant.flatMap(object => {
      const target = object.metadata.annotations?.[TARGET_CLUSTER_ANNOTATION];
      return [
        `# - target: ${target}`,
        `#   ${describe(object)}`,
        ...stringify(object, { lineWidth: 0 })
          .trimEnd()
          .split('\n')
          .map(line => `#     ${line}`),
      ];
    }),
    `# Once the tenant layer is applied, the run annotates the Namespace ${API_SERVER_CA_ANNOTATION} with the tenant API server's CA certificate (public) and deletes this grant; it ends by labelling the Namespace ${PROVISIONED_LABEL}=true (deploy/rbac/provisioned-gate.yaml: no grant in that namespace again).`,
  ];
}

/**
 * Reads back the run-scoped grant from the header of
 * {@link renderPlanYaml}'s output (for tests and reviews).
 *
 * @public
 */
export function parseRunScopedGrantHeader(
  text: string,
): Array<{ target: string; object: KubernetesObject }> {
  const header = text.split(/^---$/m)[0].split('\n');
  const start = header.indexOf(RUN_SCOPED_GRANT_HEADER);
  if (start < 0) return [];
  const out: Array<{ target: string; lines: string[] }> = [];
  for (const line of header.slice(start + 1)) {
    const target = /^# - target: (.*)$/.exec(line)?.[1];
    if (target) out.push({ target, lines: [] });
    else if (line.startsWith('#     ') && out.length > 0)
      out[out.length - 1].lines.push(line.slice('#     '.length));
    else if (!line.startsWith('#   ')) break;
  }
  return out.map(({ target, lines }) => ({
    target,
    object: parse(lines.join('\n')) as KubernetesObject,
  }));
}

/**
 * Renders the plan as multi-document YAML: a header comment with the sizing,
 * the cost estimate and (for a {@link TenantProvisioningPlan}) the run-scoped
 * grant, then one document per object of the tenant, each preceded by a
 * `# target: <cluster>` comment (the same value is in the
 * `hospital-tenants.io/target-cluster` annotation).
 *
 * @public
 */
export function renderPlanYaml(
  plan: TenantPlan | TenantProvisioningPlan,
): string {
  const { spec, sizing, costEstimate } = plan;
  const cp = sizing.controlPlane;
  const brl = (n: number) =>
    `R$ ${n.toLocaleString('pt-BR', { maximumFractionDigits: 0 })}`;
  const header = [
    `# Tenant plan: ${spec.displayName} (${spec.slug})`,
    `# ${spec.region}/${spec.environment}, Kubernetes ${spec.kubernetesVersion}, DataStore ${spec.dataStore}`,
    `# Sizing tier ${sizing.tier}: ${
      cp.replicas
    } control-plane replicas, pod ${formatCpu(
      cp.pod.cpuMillicores,
    )} CPU / ${formatMemory(cp.pod.memoryMebibytes)}`,
    `# Departments: ${spec.departments.length} x ${formatCpu(
      sizing.department.quota.cpuMillicores,
    )} CPU / ${formatMemory(sizing.department.quota.memoryMebibytes)}`,
    `# Estimated monthly cost: ${brl(costEstimate.monthlyLowBrl)} to ${brl(
      costEstimate.monthlyHighBrl,
    )} (budget ${brl(spec.monthlyBudgetBrl)})`,
    ...runScopedGrantHeader(
      'runScopedGrant' in plan ? plan.runScopedGrant : [],
    ),
  ].join('\n');
  const documents = listPlanObjects(plan).map(({ target, object }) => {
    const annotated = object.metadata.annotations?.[TARGET_CLUSTER_ANNOTATION];
    if (annotated !== target) {
      throw new Error(
        `${describe(
          object,
        )} is annotated for ${annotated} but listed for ${target}`,
      );
    }
    return `# target: ${target}\n# ${describe(object)}\n${stringify(object, {
      lineWidth: 0,
    })}`;
  });
  return `${header}\n---\n${documents.join('---\n')}`;
}
