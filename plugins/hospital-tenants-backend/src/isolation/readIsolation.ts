import { isError } from '@backstage/errors';
import {
  IsolationCheck,
  IsolationScore,
  managementNamespaceName,
  QuotaUsage,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  KubernetesClusterClient,
  TenantClusterReaderAccess,
} from '@prontuario/plugin-hospital-tenants-node';
import { TCP_API_VERSION } from '../status/readTenantStatus';
import { TenantRecord } from '../tenants/TenantIndex';
import { UpstreamPolicy } from '../upstream/resilience';
import {
  evaluateIsolation,
  IsolationExpectations,
  LiveManagementObjects,
  Read,
} from './evaluateIsolation';
import { departmentNamespaces, LiveTenantObjects } from './evaluateTenantLayer';
import { ExpectedClusterGroup } from './expectedClusterGroup';

/** The isolation posture as cached (without `asOf`/`stale`). */
export interface CachedTenantIsolation {
  tenantId: string;
  entityRef: string;
  score: IsolationScore;
  checks: IsolationCheck[];
  quota: QuotaUsage[];
}

/** How the tenant layer is read: the tenant reader, its upstream policy and the expected group. */
export interface TenantLayerAccess {
  reader: TenantClusterReaderAccess;
  upstream: UpstreamPolicy;
  /** the group the tenant's department RoleBindings must bind */
  expectedGroup?: (
    tenant: TenantRecord,
    tcp: { metadata: { annotations?: Record<string, string> } },
  ) => ExpectedClusterGroup;
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
  options: {
    expectations?: IsolationExpectations;
    /** the tenant reader and the upstream policy of the tenant clusters */
    tenantLayer?: TenantLayerAccess;
  } = {},
): Promise<CachedTenantIsolation> {
  const namespace = managementNamespaceName(tenant.tenantId);
  const read = readUnder(upstream);
  const list = (apiVersion: string, kind: string, ns?: string) =>
    read(signal => client.list(apiVersion, kind, { namespace: ns, signal }));
  const [
    ns,
    tcp,
    networkPolicies,
    resourceQuotas,
    limitRanges,
    roleBindings,
    clusterRoleBindings,
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
    // cluster-wide bindings grant access into every namespace, this one included
    list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'),
    list(TCP_API_VERSION, 'TenantControlPlane'),
    list(TCP_API_VERSION, 'DataStore'),
  ]);
  if (!tcp.ok) {
    // the control plane itself cannot be read: an outage, not a posture;
    // the cache serves the last value instead
    throw new Error(tcp.error);
  }
  const tcpStatus = (tcp.value as { status?: any } | undefined)?.status;
  const sleeping =
    tcpStatus?.kubernetesResources?.version?.status === 'Sleeping';
  const tenantLive =
    options.tenantLayer && tcp.value && !sleeping
      ? await readTenantLayer(options.tenantLayer, tenant, tcp.value)
      : undefined;
  const live: LiveManagementObjects = {
    tenantId: tenant.tenantId,
    namespaceName: namespace,
    namespace: ns,
    tcp,
    networkPolicies,
    resourceQuotas,
    limitRanges,
    roleBindings,
    clusterRoleBindings,
    allTcps,
    dataStores,
    tenant: tenantLive,
  } as LiveManagementObjects;
  const { checks, quota, score } = evaluateIsolation(
    live,
    options.expectations,
  );
  return {
    tenantId: tenant.tenantId,
    entityRef: tenant.entityRef,
    checks,
    quota,
    score,
  };
}

const message = (error: unknown) =>
  isError(error) ? error.message : String(error);

function readUnder(upstream: UpstreamPolicy) {
  return async <T>(
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<Read<T>> => {
    try {
      return { ok: true, value: await upstream.execute(fn) };
    } catch (error) {
      return { ok: false, error: message(error) };
    }
  };
}

/**
 * Reads the tenant's own cluster with the tenant reader identity (a fresh
 * audience-bound token per read), under the tenant clusters' upstream
 * policy; what cannot be reached is `unavailable` with the reason.
 */
async function readTenantLayer(
  layer: TenantLayerAccess,
  tenant: TenantRecord,
  tcp: { metadata: { annotations?: Record<string, string> } },
): Promise<LiveTenantObjects | { unavailable: string }> {
  const tenantId = tenant.tenantId;
  if (!layer.reader.configured) {
    return {
      unavailable:
        "not checked: the portal's reader identity is not configured, so it has none inside the tenant's cluster",
    };
  }
  const read = readUnder(layer.upstream);
  const client = await read(signal =>
    layer.reader.client(tenantId, { signal }),
  );
  if (!client.ok) {
    return {
      unavailable: `the tenant's cluster cannot be read with the portal's read-only identity: ${client.error}`,
    };
  }
  const tc = client.value;
  const list = (apiVersion: string, kind: string) =>
    read(signal => tc.list(apiVersion, kind, { signal }));
  const [
    namespaces,
    networkPolicies,
    resourceQuotas,
    limitRanges,
    roleBindings,
    clusterRoleBindings,
    daemonSets,
    crds,
  ] = await Promise.all([
    list('v1', 'Namespace'),
    list('networking.k8s.io/v1', 'NetworkPolicy'),
    list('v1', 'ResourceQuota'),
    list('v1', 'LimitRange'),
    list('rbac.authorization.k8s.io/v1', 'RoleBinding'),
    list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'),
    list('apps/v1', 'DaemonSet'),
    read(signal =>
      tc
        .list('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
          signal,
        })
        .catch(error => {
          // a cluster that does not serve CRDs has none
          if (isError(error) && error.name === 'NotFoundError') return [];
          throw error;
        }),
    ),
  ]);
  return {
    departments: departmentNamespaces(tcp as never),
    namespaces,
    networkPolicies,
    resourceQuotas,
    limitRanges,
    roleBindings,
    clusterRoleBindings,
    expectedGroup: layer.expectedGroup?.(tenant, tcp) ?? {
      unknown: "the portal has no source for the hospital's cluster group",
    },
    daemonSets,
    crds,
  } as LiveTenantObjects;
}
