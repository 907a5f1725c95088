import {
  formatCpu,
  formatMemory,
  TARGET_CLUSTER_ANNOTATION,
  TargetCluster,
} from '@prontuario/plugin-hospital-tenants-common';
import { stringify } from 'yaml';
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

/**
 * Renders the plan as multi-document YAML: a header comment with the sizing
 * and the cost estimate, then one document per object, each preceded by a
 * `# target: <cluster>` comment (the same value is in the
 * `hospital-tenants.io/target-cluster` annotation).
 *
 * @public
 */
export function renderPlanYaml(plan: TenantPlan): string {
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
