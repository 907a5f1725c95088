import {
  TargetCluster,
  TenantCostEstimate,
  TenantSizing,
  TenantSpec,
} from '@prontuario/plugin-hospital-tenants-common';

/**
 * A Kubernetes object as the plan renders it (plain JSON, ready for
 * server-side apply).
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

/**
 * Everything needed to provision one tenant: the objects of both layers in
 * apply order, the sizing and the cost estimate.
 *
 * @public
 */
export interface TenantPlan {
  spec: TenantSpec;
  /** Objects for the management cluster (namespace `tenant-<slug>`). */
  management: KubernetesObject[];
  /** Objects for the tenant's own cluster, applied once its control plane is Ready. */
  tenant: KubernetesObject[];
  sizing: TenantSizing;
  costEstimate: TenantCostEstimate;
}

/**
 * A plan object together with the cluster it targets.
 *
 * @public
 */
export interface TargetedObject {
  target: TargetCluster;
  object: KubernetesObject;
}
