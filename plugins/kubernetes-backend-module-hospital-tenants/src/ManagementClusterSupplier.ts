import { InputError } from '@backstage/errors';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { KubeConfig } from '@kubernetes/client-node';
import type { ManagementClusterAccess } from '@prontuario/plugin-hospital-tenants-node';

/**
 * The name the management cluster has in the Kubernetes plugin.
 *
 * @public
 */
export const MANAGEMENT_CLUSTER_NAME = 'management';

/**
 * The management cluster as the Kubernetes plugin sees it, read with the
 * portal's reader identity (`managementClusterReaderServiceRef`, configured
 * under `hospitalTenants.clusters.management.reader`): the
 * tenant entities' Kubernetes tab then shows each tenant's control-plane
 * pods, with the same least-privilege identity as the entity provider
 * (it never reads Secrets), configured once.
 *
 * Only bearer-token identities are supported (a ServiceAccount token in a
 * kubeconfig, `token`, or `tokenFile`, which is read again on every call so a
 * rotated token is picked up).
 *
 * @public
 */
export async function managementClusterDetails(
  reader: ManagementClusterAccess,
): Promise<ClusterDetails> {
  return clusterDetailsOf(reader.client().kubeConfig);
}

async function clusterDetailsOf(
  kubeConfig: KubeConfig,
): Promise<ClusterDetails> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new InputError(
      'hospitalTenants.clusters.management.reader: the kubeconfig has no current cluster',
    );
  }
  // The same authenticators the cluster client uses (token, token file).
  const { headers } = await kubeConfig.applyToFetchOptions({});
  const authorization = new Headers(headers as HeadersInit).get(
    'authorization',
  );
  const token = authorization?.match(/^Bearer (.+)$/)?.[1];
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
 *
 * @public
 */
export class ManagementClusterSupplier implements KubernetesClustersSupplier {
  readonly #kubeConfig: KubeConfig;
  readonly #others?: KubernetesClustersSupplier;

  /** Fails when the reader identity is missing, unreadable or not a bearer token. */
  static async create(options: {
    reader: ManagementClusterAccess;
    others?: KubernetesClustersSupplier;
  }): Promise<ManagementClusterSupplier> {
    const kubeConfig = options.reader.client().kubeConfig;
    await clusterDetailsOf(kubeConfig);
    return new ManagementClusterSupplier(kubeConfig, options.others);
  }

  private constructor(
    kubeConfig: KubeConfig,
    others?: KubernetesClustersSupplier,
  ) {
    this.#kubeConfig = kubeConfig;
    this.#others = others;
  }

  async getClusters(
    options: Parameters<KubernetesClustersSupplier['getClusters']>[0],
  ): Promise<ClusterDetails[]> {
    const [management, others] = await Promise.all([
      clusterDetailsOf(this.#kubeConfig),
      this.#others?.getClusters(options) ?? [],
    ]);
    return [
      management,
      ...others.filter(c => c.name !== MANAGEMENT_CLUSTER_NAME),
    ];
  }
}
