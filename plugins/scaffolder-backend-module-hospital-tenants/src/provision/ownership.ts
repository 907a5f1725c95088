import {
  findOverlap,
  managementNamespaceName,
  TENANT_LABEL,
  TenantSpec,
  TenantSpecIssue,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  ClusterObject,
  InvalidTenantSpecError,
  KubernetesClusterClient,
  tenantSpecIssue,
} from '@prontuario/plugin-hospital-tenants-node';

/** What the ownership check reads of a TenantControlPlane. */
type TenantControlPlaneFacts = ClusterObject & {
  spec?: { networkProfile?: { loadBalancerSourceRanges?: string[] } };
};

const TCP = ['kamaji.clastix.io/v1alpha1', 'TenantControlPlane'] as const;

/**
 * Step: what only the management cluster can tell, checked before any write:
 * the namespace `tenant-<slug>` and the TenantControlPlane `<slug>` are not
 * another tenant's (or nobody's), and the approved external API CIDRs do not
 * overlap any other tenant's worker ranges (the LoadBalancer source ranges
 * of every labelled control plane). A tenant re-provisioned with the same
 * slug and owner converges.
 */
export async function checkClusterOwnership(
  management: KubernetesClusterClient,
  spec: TenantSpec,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const namespace = managementNamespaceName(spec.slug);
  const problems: TenantSpecIssue[] = [];
  const [ns, tcps] = await Promise.all([
    management.find('v1', 'Namespace', namespace, undefined, options),
    management.list<TenantControlPlaneFacts>(TCP[0], TCP[1], {
      labelSelector: TENANT_LABEL,
      signal: options.signal,
    }),
  ]);
  if (ns) {
    const owner = ns.metadata?.labels?.[TENANT_LABEL];
    if (owner !== spec.slug) {
      problems.push(
        tenantSpecIssue(
          'slug',
          `the namespace ${namespace} already exists and belongs to ${
            owner
              ? `tenant "${owner}"`
              : 'no tenant (it is not labelled as one)'
          }; choose another slug`,
        ),
      );
    } else {
      const ownerGroup =
        ns.metadata?.annotations?.['hospital-tenants.io/owner'] ?? undefined;
      if (ownerGroup && ownerGroup !== spec.ownerGroup) {
        problems.push(
          tenantSpecIssue(
            'slug',
            `tenant "${spec.slug}" already exists and is owned by ${ownerGroup}`,
          ),
        );
      }
    }
  }
  for (const tcp of tcps) {
    const owner = tcp.metadata?.labels?.[TENANT_LABEL];
    const sameTenant =
      owner === spec.slug && tcp.metadata?.namespace === namespace;
    if (
      !sameTenant &&
      (owner === spec.slug || tcp.metadata?.name === spec.slug)
    ) {
      problems.push(
        tenantSpecIssue(
          'slug',
          `a TenantControlPlane ${tcp.metadata.namespace}/${tcp.metadata.name} already uses "${spec.slug}" (tenant "${owner}")`,
        ),
      );
    }
    if (sameTenant) {
      const existingOwner =
        tcp.metadata?.annotations?.['hospital-tenants.io/owner'];
      if (existingOwner && existingOwner !== spec.ownerGroup) {
        problems.push(
          tenantSpecIssue(
            'ownerGroup',
            `tenant "${spec.slug}" already exists and is owned by ${existingOwner}`,
          ),
        );
      }
      continue;
    }
    const workers = tcp.spec?.networkProfile?.loadBalancerSourceRanges ?? [];
    spec.approvedExternalApiCidrs.forEach((cidr, i) => {
      const clash = findOverlap(cidr, workers);
      if (clash) {
        problems.push(
          tenantSpecIssue(
            `approvedExternalApiCidrs[${i}]`,
            `"${cidr}" overlaps ${clash}, a worker range of tenant "${owner}"`,
          ),
        );
      }
    });
  }
  if (problems.length > 0) {
    // one issue per message: several objects can clash in the same way
    const unique = new Map(problems.map(p => [p.message, p]));
    throw new InvalidTenantSpecError([...unique.values()]);
  }
}
