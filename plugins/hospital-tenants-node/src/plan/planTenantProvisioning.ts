import { InputError } from '@backstage/errors';
import {
  HospitalTenantsConfig,
  resolveEnvironment,
  TARGET_CLUSTER_ANNOTATION,
  TENANT_LABEL,
  TenantSpec,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  DEFAULT_PROVISIONER_SERVICE_ACCOUNT,
  provisionerKubeconfigAccess,
} from '../cluster/kubeconfigAccess';
import { buildTenantPlan } from './buildTenantPlan';
import {
  AUTHENTICATION_CONFIG_NAME,
  buildAuthenticationConfigMap,
  ManagementServiceAccountIssuer,
} from './authenticationConfig';
import { MANAGED_BY } from './common';
import { KubernetesObject, TargetedObject, TenantPlan } from './types';

/**
 * The plan of one provisioning run: the tenant's objects of both layers
 * (what stays once the run is over) and, listed apart, the run-scoped grant:
 * the Role and RoleBinding that let the provisioner read the tenant's admin
 * kubeconfig while the run reaches the tenant's API server.
 *
 * @public
 */
export interface TenantProvisioningPlan extends TenantPlan {
  /**
   * What a run grants itself only while it runs (namespace `tenant-<slug>`,
   * management cluster). A run applies it right after the Namespace, before
   * anything that needs the admin kubeconfig, and deletes it once the
   * tenant layer is applied; the run then labels the namespace
   * `hospital-tenants.io/provisioned` (the one-way gate, see
   * deploy/README.md), after which no run holds it again.
   */
  runScopedGrant: KubernetesObject[];
}

/**
 * Options of {@link planTenantProvisioning}.
 *
 * @public
 */
export interface TenantProvisioningPlanOptions {
  /**
   * The provisioner's ServiceAccount on the management cluster
   * (`hospitalTenants.provisioning.provisionerServiceAccount`); default
   * `backstage/hospital-tenants-provisioner`.
   */
  provisionerServiceAccount?: { name: string; namespace: string };
  /**
   * The management cluster's ServiceAccount token issuer that each tenant
   * API server trusts for the portal's read-only checks
   * (`hospitalTenants.provisioning.managementServiceAccountIssuer`); default
   * `https://kubernetes.default.svc.cluster.local`.
   */
  managementServiceAccountIssuer?: ManagementServiceAccountIssuer;
}

/**
 * The one plan of a tenant, used by `yarn render-tenant`, both scaffolder
 * actions, the simulator's seed and the tests: both layers of a validated
 * spec, its sizing and cost, and the run-scoped grant listed apart. Pure.
 *
 * The spec's `clusterGroup` must already be resolved (the actions and the
 * CLI take it from the owner group's `hospital-tenants.io/cluster-group`
 * annotation, see {@link clusterGroupOfOwner}).
 *
 * @public
 */
export function planTenantProvisioning(
  spec: TenantSpec,
  config: HospitalTenantsConfig,
  options: TenantProvisioningPlanOptions = {},
): TenantProvisioningPlan {
  const built = buildTenantPlan(spec, config);
  const issuer = options.managementServiceAccountIssuer;
  const plan = issuer
    ? {
        ...built,
        management: built.management.map(o =>
          o.kind === 'ConfigMap' &&
          o.metadata.name === AUTHENTICATION_CONFIG_NAME
            ? buildAuthenticationConfigMap(spec, o.metadata.namespace!, {
                oidc: resolveEnvironment(config, spec.region, spec.environment)
                  ?.oidc,
                managementIssuer: issuer,
              })
            : o,
        ),
      }
    : built;
  const runScopedGrant = provisionerKubeconfigAccess({
    slug: spec.slug,
    serviceAccount:
      options.provisionerServiceAccount ?? DEFAULT_PROVISIONER_SERVICE_ACCOUNT,
    labels: {
      [TENANT_LABEL]: spec.slug,
      'app.kubernetes.io/managed-by': MANAGED_BY,
    },
  }).map(
    (o): KubernetesObject => ({
      ...o,
      metadata: {
        ...o.metadata,
        annotations: { [TARGET_CLUSTER_ANNOTATION]: 'management-cluster' },
      },
    }),
  );
  return { ...plan, runScopedGrant };
}

/**
 * The management-cluster objects of a run in the order it applies them:
 * the Namespace, the run-scoped grant, then the rest of the management
 * layer.
 *
 * @public
 */
export function managementApplyOrder(
  plan: TenantProvisioningPlan,
): KubernetesObject[] {
  const nsIndex = plan.management.findIndex(o => o.kind === 'Namespace');
  if (nsIndex < 0) {
    throw new InputError(`The plan of ${plan.spec.slug} has no Namespace`);
  }
  return [
    ...plan.management.slice(0, nsIndex + 1),
    ...plan.runScopedGrant,
    ...plan.management.slice(nsIndex + 1),
  ];
}

/**
 * Every object a provisioning run applies, in order, each with its target:
 * {@link managementApplyOrder}, then the tenant layer.
 *
 * @public
 */
export function provisioningApplyOrder(
  plan: TenantProvisioningPlan,
): TargetedObject[] {
  return [
    ...managementApplyOrder(plan).map(object => ({
      target: 'management-cluster' as const,
      object,
    })),
    ...plan.tenant.map(object => ({
      target: 'tenant-cluster' as const,
      object,
    })),
  ];
}
