import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';
import { readProvisioningSettings } from './settings';

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
 * Reads `hospitalTenants.clusters.management.provisioner` on first use, so a
 * backend without cluster configuration still starts (the render action
 * needs none); the provision action then fails with an InputError naming the
 * missing key.
 *
 * @public
 */
export function provisioningClustersFromConfig(
  config: Config,
  options: { logger?: LoggerService } = {},
): ProvisioningClusters {
  let management: KubernetesClusterClient | undefined;
  const get = () => {
    if (!management) {
      const { requestTimeoutMs } = readProvisioningSettings(config);
      management = KubernetesClusterClient.fromConfig(config, {
        identity: 'provisioner',
        requestTimeoutMs,
        logger: options.logger,
      });
    }
    return management;
  };
  return {
    management: get,
    tenant: (namespace, name, opts) =>
      get().tenantCluster(namespace, name, opts),
  };
}

/**
 * The cluster access of the provisioning action; replaceable in tests.
 *
 * @public
 */
export const provisioningClustersServiceRef =
  createServiceRef<ProvisioningClusters>({
    id: 'hospital-tenants.provisioning-clusters',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { config: coreServices.rootConfig, logger: coreServices.logger },
        factory: ({ config, logger }) =>
          provisioningClustersFromConfig(config, { logger }),
      }),
  });
