import { managementNamespaceName } from '@prontuario/plugin-hospital-tenants-common';
import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';
import { UpstreamPolicy } from '../upstream/resilience';
import { TenantRecord } from '../tenants/TenantIndex';

/** The TenantControlPlane's API group and version. */
export const TCP_API_VERSION = 'kamaji.clastix.io/v1alpha1';

/**
 * The status as cached: everything but the per-response fields (`asOf`,
 * `stale`, `ageSeconds`).
 */
export interface CachedTenantStatus {
  tenantId: string;
  entityRef: string;
  phase: string;
  version: { desired: string | null; observed: string | null };
  endpoint: string | null;
  replicas: { desired: number | null; ready: number | null };
  conditions: Array<{
    type: string;
    status: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
  }>;
  dataStore: {
    name: string | null;
    driver: string | null;
    schema: string | null;
  };
  createdAt: string | null;
}

const str = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;
const int = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) ? value : null;

/**
 * The status of a tenant from its TenantControlPlane as Kamaji reports it
 * (one read: Kamaji copies the Deployment's status into the TCP). `pending`
 * while Kamaji has not reported; `missing` when the TCP does not exist.
 */
export function tenantStatusFromTcp(
  tenant: TenantRecord,
  tcp: any | undefined,
): CachedTenantStatus {
  const status = tcp?.status ?? {};
  const resources = status.kubernetesResources ?? {};
  const deployment = resources.deployment ?? {};
  const conditions: CachedTenantStatus['conditions'] = Array.isArray(
    deployment.conditions,
  )
    ? deployment.conditions
        .filter((c: any) => typeof c?.type === 'string')
        .map((c: any) => ({
          type: c.type,
          status: String(c.status ?? 'Unknown'),
          ...(str(c.reason) ? { reason: c.reason } : {}),
          ...(str(c.message) ? { message: c.message } : {}),
          ...(str(c.lastTransitionTime)
            ? { lastTransitionTime: c.lastTransitionTime }
            : {}),
        }))
    : [];
  let phase: string;
  if (!tcp) phase = 'missing';
  else phase = str(resources.version?.status) ?? 'pending';
  return {
    tenantId: tenant.tenantId,
    entityRef: tenant.entityRef,
    phase,
    version: {
      desired: str(tcp?.spec?.kubernetes?.version),
      observed: str(resources.version?.version),
    },
    endpoint: str(status.controlPlaneEndpoint),
    replicas: {
      desired: int(tcp?.spec?.controlPlane?.deployment?.replicas),
      ready: int(deployment.readyReplicas) ?? (tcp ? 0 : null),
    },
    conditions,
    dataStore: {
      name: str(status.storage?.dataStoreName) ?? str(tcp?.spec?.dataStore),
      driver: str(status.storage?.driver),
      schema:
        str(status.storage?.setup?.schema) ?? str(tcp?.spec?.dataStoreSchema),
    },
    createdAt: str(tcp?.metadata?.creationTimestamp),
  };
}

/** Reads a tenant's status from the management cluster. */
export async function readTenantStatus(
  client: KubernetesClusterClient,
  upstream: UpstreamPolicy,
  tenant: TenantRecord,
): Promise<CachedTenantStatus> {
  const tcp = await upstream.execute(signal =>
    client.find(
      TCP_API_VERSION,
      'TenantControlPlane',
      tenant.tenantId,
      managementNamespaceName(tenant.tenantId),
      { signal },
    ),
  );
  return tenantStatusFromTcp(tenant, tcp);
}
