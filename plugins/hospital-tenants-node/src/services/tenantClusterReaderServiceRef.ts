import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { TENANT_LABEL } from '@prontuario/plugin-hospital-tenants-common';
import { KubernetesClusterClient } from '../cluster/KubernetesClusterClient';
import {
  API_SERVER_CA_ANNOTATION,
  TENANT_CHECKER_SERVICE_ACCOUNT,
  tenantAudience,
} from '../cluster/tenantReaderIdentity';
import {
  ManagementClusterAccess,
  managementClusterReaderServiceRef,
} from './managementClusterServiceRefs';

/**
 * Read-only access to the tenants' own clusters, for the portal's live
 * checks (the isolation report).
 *
 * @public
 */
export interface TenantClusterReaderAccess {
  /** Whether the management cluster's reader is configured; when false, `client()` rejects. */
  readonly configured: boolean;
  /**
   * A read-only client of one tenant's API server. Each call asks the
   * management cluster (as the reader) for a fresh TokenRequest token of
   * the checker ServiceAccount, bound to this tenant's audience and valid
   * for `tokenLifetimeSeconds`; the tenant API server trusts it for that
   * audience only, and the tenant layer binds it to a read-only
   * ClusterRole. Rejects with a NotFoundError for an unknown tenant and a
   * ServiceUnavailableError when the tenant cannot be reached yet.
   */
  client(
    tenantId: string,
    options?: { signal?: AbortSignal },
  ): Promise<KubernetesClusterClient>;
}

const SLUG = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The tenant readers of a management cluster reader.
 *
 * @public
 */
export function tenantClusterReaderAccess(
  reader: ManagementClusterAccess,
  options: { tokenLifetimeSeconds?: number; requestTimeoutMs?: number } = {},
): TenantClusterReaderAccess {
  const lifetime = options.tokenLifetimeSeconds ?? 600;
  return {
    configured: reader.configured,
    async client(tenantId, { signal } = {}) {
      if (!SLUG.test(tenantId)) {
        throw new InputError(`"${tenantId}" is not a tenant id`);
      }
      const management = reader.client();
      const namespace = `tenant-${tenantId}`;
      const ns = await management.find(
        'v1',
        'Namespace',
        namespace,
        undefined,
        {
          signal,
        },
      );
      if (!ns || ns.metadata.labels?.[TENANT_LABEL] !== tenantId) {
        throw new NotFoundError(`No tenant "${tenantId}"`);
      }
      const ca = ns.metadata.annotations?.[API_SERVER_CA_ANNOTATION];
      if (!ca) {
        throw new ServiceUnavailableError(
          `Tenant "${tenantId}" has not published its API server CA (${API_SERVER_CA_ANNOTATION}); it was provisioned before the tenant reader existed (see deploy/README.md)`,
        );
      }
      const tcp = await management.find<{
        apiVersion: string;
        kind: string;
        metadata: { name: string };
        status?: { controlPlaneEndpoint?: string };
      }>(
        'kamaji.clastix.io/v1alpha1',
        'TenantControlPlane',
        tenantId,
        namespace,
        {
          signal,
        },
      );
      const endpoint = tcp?.status?.controlPlaneEndpoint;
      if (!endpoint) {
        throw new ServiceUnavailableError(
          `Tenant "${tenantId}" has no control plane endpoint yet`,
        );
      }
      const { token } = await management.requestServiceAccountToken(
        TENANT_CHECKER_SERVICE_ACCOUNT.namespace,
        TENANT_CHECKER_SERVICE_ACCOUNT.name,
        {
          audiences: [tenantAudience(tenantId)],
          expirationSeconds: lifetime,
          signal,
        },
      );
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [
          {
            name: tenantId,
            server: endpoint.startsWith('https://')
              ? endpoint
              : `https://${endpoint}`,
            caData: ca,
            skipTLSVerify: false,
          },
        ],
        users: [{ name: 'hospital-tenants-tenant-checker', token }],
        contexts: [
          {
            name: tenantId,
            cluster: tenantId,
            user: 'hospital-tenants-tenant-checker',
          },
        ],
        currentContext: tenantId,
      });
      return new KubernetesClusterClient(kc, {
        requestTimeoutMs: options.requestTimeoutMs,
      });
    },
  };
}

/**
 * Read-only clients of the tenants' own clusters (see
 * {@link TenantClusterReaderAccess}), built on
 * `managementClusterReaderServiceRef`. Nothing long-lived: no kubeconfig,
 * no Secret, a token per client valid for 10 minutes.
 *
 * @public
 */
export const tenantClusterReaderServiceRef =
  createServiceRef<TenantClusterReaderAccess>({
    id: 'hospital-tenants.tenant-cluster.reader',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { reader: managementClusterReaderServiceRef },
        factory: ({ reader }) => tenantClusterReaderAccess(reader),
      }),
  });
