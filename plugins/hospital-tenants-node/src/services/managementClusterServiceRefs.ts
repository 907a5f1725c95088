import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
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

/** Where the provisioner's per-request timeout is configured (scaffolder module's config.d.ts). */
const PROVISIONER_REQUEST_TIMEOUT_KEY =
  'hospitalTenants.provisioning.requestTimeout';

/** The per-request timeout of an identity, when configured. */
function requestTimeoutOf(
  config: RootConfigService,
  identity: ClusterIdentity,
): number | undefined {
  if (
    identity !== 'provisioner' ||
    !config.has(PROVISIONER_REQUEST_TIMEOUT_KEY)
  )
    return undefined;
  let ms: number;
  try {
    ms = durationToMilliseconds(
      readDurationFromConfig(config, { key: PROVISIONER_REQUEST_TIMEOUT_KEY }),
    );
  } catch (error) {
    throw new InputError(
      `${PROVISIONER_REQUEST_TIMEOUT_KEY}: not a duration (${
        (error as Error).message
      })`,
    );
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new InputError(
      `${PROVISIONER_REQUEST_TIMEOUT_KEY}: must be a positive duration`,
    );
  }
  return ms;
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
            requestTimeoutMs: requestTimeoutOf(config, identity),
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
 * the provisioning action). Its per-request timeout is
 * `hospitalTenants.provisioning.requestTimeout` (default 30 s).
 *
 * @public
 */
export const managementClusterProvisionerServiceRef =
  accessServiceRef('provisioner');
