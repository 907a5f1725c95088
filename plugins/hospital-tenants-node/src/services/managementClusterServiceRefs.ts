import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { KubernetesClusterClient } from '../cluster/KubernetesClusterClient';
import { ClusterIdentity } from '../cluster/clusterConfig';

/**
 * One of the portal's identities on the management cluster, as configured
 * under `hospitalTenants.clusters.management`.
 *
 * A backend without that configuration still starts (as the Kubernetes
 * backend does): the service logs one warning and `client()` throws a
 * `ServiceUnavailableError` that names the missing key.
 *
 * @public
 */
export interface ManagementClusterAccess {
  /** The identity this access uses. */
  readonly identity: ClusterIdentity;
  /** Whether the identity is configured; when false, `client()` throws. */
  readonly configured: boolean;
  /** The client of this identity, built once per backend. */
  client(): KubernetesClusterClient;
}

/**
 * Builds the access of one identity from root config; the client is built on
 * first use and kept.
 *
 * @public
 */
export function managementClusterAccessFromConfig(
  config: RootConfigService,
  options: {
    identity: ClusterIdentity;
    logger?: LoggerService;
    requestTimeoutMs?: number;
  },
): ManagementClusterAccess {
  const { identity, logger } = options;
  const key = `hospitalTenants.clusters.management.${identity}`;
  const configured = config.has(key);
  if (!configured) {
    logger?.warn(
      `${key} is not configured: features that read or write the management cluster as the ${identity} are unavailable`,
    );
  }
  let client: KubernetesClusterClient | undefined;
  return {
    identity,
    configured,
    client() {
      if (!configured) {
        throw new ServiceUnavailableError(
          `The management cluster is not configured (${key})`,
        );
      }
      client ??= KubernetesClusterClient.fromConfig(config, {
        identity,
        logger,
        requestTimeoutMs: options.requestTimeoutMs,
      });
      return client;
    },
  };
}

function accessServiceRef(identity: ClusterIdentity) {
  return createServiceRef<ManagementClusterAccess>({
    id: `hospital-tenants.management-cluster.${identity}`,
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
        },
        factory: ({ config, logger }) =>
          managementClusterAccessFromConfig(config, {
            identity,
            logger: logger.child({ cluster: 'management', identity }),
          }),
      }),
  });
}

/**
 * The management cluster as the least-privilege reader identity (status,
 * isolation, ingestion, the Kubernetes tab). Never reads Secrets.
 *
 * @public
 */
export const managementClusterReaderServiceRef = accessServiceRef('reader');

/**
 * The management cluster as the provisioner identity (writes; used only by
 * the provisioning action).
 *
 * @public
 */
export const managementClusterProvisionerServiceRef =
  accessServiceRef('provisioner');
