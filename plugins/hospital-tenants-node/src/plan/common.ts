import {
  HospitalTenantsConfig,
  TARGET_CLUSTER_ANNOTATION,
  TargetCluster,
  TENANT_LABEL,
} from '@prontuario/plugin-hospital-tenants-common';
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import { KubernetesObject } from './types';

/**
 * Built-in objects are written against the kubernetes-models interfaces, so
 * the compiler rejects unknown fields (kubernetes-models' runtime validation
 * does not); this only widens the checked object to the plan's type.
 */
export function planObject<
  T extends { apiVersion: string; kind: string; metadata?: object },
>(object: T): KubernetesObject {
  return object as unknown as KubernetesObject;
}

/**
 * The field manager and managed-by label value of the portal.
 *
 * @public
 */
export const MANAGED_BY = 'hospital-tenants-portal';

export function objectMeta(
  slug: string,
  target: TargetCluster,
  name: string,
  namespace?: string,
  extraLabels: Record<string, string> = {},
  extraAnnotations: Record<string, string> = {},
): KubernetesObject['metadata'] {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: {
      [TENANT_LABEL]: slug,
      'app.kubernetes.io/managed-by': MANAGED_BY,
      ...extraLabels,
    },
    annotations: {
      [TARGET_CLUSTER_ANNOTATION]: target,
      ...extraAnnotations,
    },
  };
}

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function namespaceSelector(names: string[]) {
  return names.length === 1
    ? { matchLabels: { [NAMESPACE_NAME_LABEL]: names[0] } }
    : {
        matchExpressions: [
          { key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names] },
        ],
      };
}

export function tcpPorts(ports: number[]): INetworkPolicyPort[] {
  return ports.map(port => ({ protocol: 'TCP', port }));
}

/** DNS egress: the cluster DNS pods and GKE's NodeLocal DNSCache addresses. */
export function dnsEgressRule(
  config: HospitalTenantsConfig,
): INetworkPolicyEgressRule {
  const { dns } = config.network;
  return {
    to: [
      {
        namespaceSelector: namespaceSelector([dns.namespace]),
        podSelector: { matchLabels: { ...dns.podLabels } },
      },
      ...dns.nodeLocalDnsCidrs.map(cidr => ({ ipBlock: { cidr } })),
    ],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
}

export function networkPolicy(
  metadata: KubernetesObject['metadata'],
  spec: INetworkPolicySpec,
): KubernetesObject {
  return planObject({
    apiVersion: 'networking.k8s.io/v1' as const,
    kind: 'NetworkPolicy' as const,
    metadata,
    spec,
  });
}

export function podSecurityLabels(
  enforce: 'baseline' | 'restricted',
): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': enforce,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'latest',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'latest',
  };
}
