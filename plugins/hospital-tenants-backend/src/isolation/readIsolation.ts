import { isError } from '@backstage/errors';
import {
  IsolationCheck,
  IsolationScore,
  managementNamespaceName,
  QuotaUsage,
} from '@prontuario/plugin-hospital-tenants-common';
import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';
import { TCP_API_VERSION } from '../status/readTenantStatus';
import { TenantRecord } from '../tenants/TenantIndex';
import { UpstreamPolicy } from '../upstream/resilience';
import {
  evaluateIsolation,
  IsolationExpectations,
  LiveManagementObjects,
  Read,
} from './evaluateIsolation';

/** The isolation posture as cached (without `asOf`/`stale`). */
export interface CachedTenantIsolation {
  tenantId: string;
  entityRef: string;
  score: IsolationScore;
  checks: IsolationCheck[];
  quota: QuotaUsage[];
}

/**
 * Reads the live objects of a tenant's management layer with the reader
 * identity (each read under the upstream policy; one failed read makes only
 * the checks that need it `unknown`) and evaluates the checks.
 */
export async function readTenantIsolation(
  client: KubernetesClusterClient,
  upstream: UpstreamPolicy,
  tenant: TenantRecord,
  expectations?: IsolationExpectations,
): Promise<CachedTenantIsolation> {
  const namespace = managementNamespaceName(tenant.tenantId);
  const read = async <T>(
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<Read<T>> => {
    try {
      return { ok: true, value: await upstream.execute(fn) };
    } catch (error) {
      return {
        ok: false,
        error: isError(error) ? error.message : String(error),
      };
    }
  };
  const list = (apiVersion: string, kind: string, ns?: string) =>
    read(signal => client.list(apiVersion, kind, { namespace: ns, signal }));
  const [
    ns,
    tcp,
    networkPolicies,
    resourceQuotas,
    limitRanges,
    roleBindings,
    allTcps,
    dataStores,
  ] = await Promise.all([
    read(signal =>
      client.find('v1', 'Namespace', namespace, undefined, { signal }),
    ),
    read(signal =>
      client.find(
        TCP_API_VERSION,
        'TenantControlPlane',
        tenant.tenantId,
        namespace,
        { signal },
      ),
    ),
    list('networking.k8s.io/v1', 'NetworkPolicy', namespace),
    list('v1', 'ResourceQuota', namespace),
    list('v1', 'LimitRange', namespace),
    list('rbac.authorization.k8s.io/v1', 'RoleBinding', namespace),
    list(TCP_API_VERSION, 'TenantControlPlane'),
    list(TCP_API_VERSION, 'DataStore'),
  ]);
  if (!tcp.ok) {
    // the control plane itself cannot be read: an outage, not a posture;
    // the cache serves the last value instead
    throw new Error(tcp.error);
  }
  const live: LiveManagementObjects = {
    tenantId: tenant.tenantId,
    namespaceName: namespace,
    namespace: ns,
    tcp,
    networkPolicies,
    resourceQuotas,
    limitRanges,
    roleBindings,
    allTcps,
    dataStores,
  } as LiveManagementObjects;
  const { checks, quota, score } = evaluateIsolation(live, expectations);
  return {
    tenantId: tenant.tenantId,
    entityRef: tenant.entityRef,
    checks,
    quota,
    score,
  };
}
