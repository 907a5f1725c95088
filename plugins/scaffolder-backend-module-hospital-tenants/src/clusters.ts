import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';
import type { ManagementClusterAccess } from '@prontuario/plugin-hospital-tenants-node';

/**
 * The clusters the provisioning action writes to, as the provisioner
 * identity from backend config: the management cluster, and a tenant's own
 * API server through the tenant's `admin.*` kubeconfig. Nothing here ever
 * comes from a template input.
 *
 * @public
 */
export interface ProvisioningClusters {
  /** The management cluster as the provisioner identity. */
  management(): KubernetesClusterClient;
  /** A tenant's API server, through its admin kubeconfig (read with the provisioner identity). */
  tenant(
    namespace: string,
    name: string,
    options?: { signal?: AbortSignal },
  ): Promise<KubernetesClusterClient>;
}

/**
 * The provisioning clusters of the provisioner identity
 * (`managementClusterProvisionerServiceRef`). A backend without cluster
 * configuration still starts (the render action needs none); the provision
 * action then fails with a ServiceUnavailableError naming the missing key.
 *
 * @public
 */
export function provisioningClustersOf(
  provisioner: ManagementClusterAccess,
): ProvisioningClusters {
  return {
    management: () => provisioner.client(),
    tenant: (namespace, name, options) =>
      provisioner.client().tenantCluster(namespace, name, options),
  };
}
