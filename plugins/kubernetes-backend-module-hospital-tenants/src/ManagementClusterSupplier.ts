import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { managementKubeConfig } from '@prontuario/plugin-hospital-tenants-node';

/** The name the management cluster has in the Kubernetes plugin. */
export const MANAGEMENT_CLUSTER_NAME = 'management';

/**
 * The management cluster as the Kubernetes plugin sees it, read with the
 * portal's reader identity from `hospitalTenants.clusters.management`: the
 * tenant entities' Kubernetes tab then shows each tenant's control-plane
 * pods, with the same least-privilege identity as the entity provider
 * (it never reads Secrets), configured once.
 *
 * Only bearer-token identities are supported (a ServiceAccount token, in a
 * kubeconfig or as `token`/`tokenFile`).
 */
export function managementClusterDetails(config: Config): ClusterDetails {
  const kubeConfig = managementKubeConfig(config, 'reader');
  const cluster = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  if (!cluster) {
    throw new InputError(
      'hospitalTenants.clusters.management.reader: the kubeconfig has no current cluster',
    );
  }
  const token = user?.token;
  if (!token) {
    throw new InputError(
      'hospitalTenants.clusters.management.reader: the Kubernetes tab needs a bearer token identity (a ServiceAccount token)',
    );
  }
  return {
    name: MANAGEMENT_CLUSTER_NAME,
    title: 'Management cluster (Kamaji control planes)',
    url: cluster.server,
    caData: cluster.caData,
    caFile: cluster.caFile,
    skipTLSVerify: false,
    skipMetricsLookup: true,
    authMetadata: {
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'serviceAccount',
      serviceAccountToken: token,
    },
  };
}

/**
 * Supplies the management cluster next to the clusters the Kubernetes
 * plugin's own configuration locates.
 */
export class ManagementClusterSupplier implements KubernetesClustersSupplier {
  readonly #management: ClusterDetails;
  readonly #others?: KubernetesClustersSupplier;

  constructor(options: {
    config: Config;
    others?: KubernetesClustersSupplier;
  }) {
    this.#management = managementClusterDetails(options.config);
    this.#others = options.others;
  }

  async getClusters(
    options: Parameters<KubernetesClustersSupplier['getClusters']>[0],
  ): Promise<ClusterDetails[]> {
    const others = (await this.#others?.getClusters(options)) ?? [];
    return [
      this.#management,
      ...others.filter(c => c.name !== MANAGEMENT_CLUSTER_NAME),
    ];
  }
}
