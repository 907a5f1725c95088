import {
  BACKSTAGE_KUBERNETES_ID,
  formatCpu,
  formatMemory,
  HospitalTenantsConfig,
  managementNamespaceName,
  ResourceSize,
  resolveEnvironment,
  TENANT_ANNOTATIONS,
  TENANT_LABEL,
  TenantSizing,
  TenantSpec,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  dnsEgressRule,
  namespaceSelector,
  networkPolicy,
  objectMeta,
  planObject,
  podSecurityLabels,
  tcpPorts,
} from './common';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange';
import { KubernetesObject } from './types';
import { environmentNotConfiguredError } from './InvalidTenantSpecError';
import {
  AUTHENTICATION_CONFIG_DIR,
  AUTHENTICATION_CONFIG_NAME,
  buildAuthenticationConfigMap,
} from './authenticationConfig';
import {
  DEFAULT_READER_SERVICE_ACCOUNT,
  TENANT_READER_ACCESS,
} from '../cluster/kubeconfigAccess';

/** The TCP API server port (`networkProfile.port`). @public */
export const API_SERVER_PORT = 6443;
/** The konnectivity server port (`addons.konnectivity.server.port`). @public */
export const KONNECTIVITY_PORT = 8132;
/** kube-controller-manager and kube-scheduler secure metrics ports. @public */
export const CONTROLLER_MANAGER_PORT = 10257;
/** @public */
export const SCHEDULER_PORT = 10259;
/** The pod label Kamaji puts on a TCP's pods. @public */
export const KAMAJI_NAME_LABEL = 'kamaji.clastix.io/name';

/**
 * Kamaji's default admission plugins plus NodeRestriction and PodSecurity
 * (explicit: the tenant layer relies on Pod Security Admission). Never
 * PodSecurityPolicy, which Kubernetes removed in 1.25.
 *
 * @public
 */
export const ADMISSION_CONTROLLERS = [
  'CertificateApproval',
  'CertificateSigning',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DefaultStorageClass',
  'DefaultTolerationSeconds',
  'LimitRanger',
  'MutatingAdmissionWebhook',
  'NamespaceLifecycle',
  'NodeRestriction',
  'PersistentVolumeClaimResize',
  'PodSecurity',
  'Priority',
  'ResourceQuota',
  'RuntimeClass',
  'ServiceAccount',
  'StorageObjectInUseProtection',
  'TaintNodesByCondition',
  'ValidatingAdmissionWebhook',
];

function resources(size: ResourceSize) {
  const quantity = {
    cpu: formatCpu(size.cpuMillicores),
    memory: formatMemory(size.memoryMebibytes),
  };
  // GKE Autopilot: limits equal requests.
  return { requests: { ...quantity }, limits: { ...quantity } };
}

/**
 * The annotations carrying a tenant's facts (copied to its catalog entity).
 *
 * @public
 */
export function tenantFactAnnotations(
  spec: TenantSpec,
  sizing: TenantSizing,
): Record<string, string> {
  return {
    [TENANT_ANNOTATIONS.tenantId]: spec.slug,
    [TENANT_ANNOTATIONS.displayName]: spec.displayName,
    [TENANT_ANNOTATIONS.dailyUsers]: String(spec.dailyUsers),
    [TENANT_ANNOTATIONS.departments]: spec.departments.join(','),
    [TENANT_ANNOTATIONS.region]: spec.region,
    [TENANT_ANNOTATIONS.environment]: spec.environment,
    [TENANT_ANNOTATIONS.monthlyBudgetBrl]: String(spec.monthlyBudgetBrl),
    [TENANT_ANNOTATIONS.slaP95Seconds]: String(spec.sla.p95Seconds),
    [TENANT_ANNOTATIONS.slaAvailability]: String(spec.sla.availabilityPercent),
    [TENANT_ANNOTATIONS.slaThroughputRps]: String(spec.sla.throughputRps),
    [TENANT_ANNOTATIONS.kubernetesVersion]: spec.kubernetesVersion,
    [TENANT_ANNOTATIONS.owner]: spec.ownerGroup,
    [TENANT_ANNOTATIONS.sizingTier]: sizing.tier,
  };
}

/**
 * The TenantControlPlane as the real Kamaji CRD (`kamaji.clastix.io/v1alpha1`)
 * defines it.
 *
 * @public
 */
export function buildTenantControlPlane(
  spec: TenantSpec,
  sizing: TenantSizing,
  config: HospitalTenantsConfig,
): KubernetesObject {
  const env = resolveEnvironment(config, spec.region, spec.environment);
  if (!env) {
    throw environmentNotConfiguredError(spec);
  }
  const namespace = managementNamespaceName(spec.slug);
  const cp = sizing.controlPlane;
  const workloadLabels = {
    [TENANT_LABEL]: spec.slug,
    [BACKSTAGE_KUBERNETES_ID]: spec.slug,
  };
  // authentication (the hospital's OIDC issuer and the portal's read-only
  // checker) comes from the plan's ConfigMap (authenticationConfig.ts)
  const authVolume = 'hospital-tenants-authentication';
  return {
    apiVersion: 'kamaji.clastix.io/v1alpha1',
    kind: 'TenantControlPlane',
    metadata: objectMeta(
      spec.slug,
      'management-cluster',
      spec.slug,
      namespace,
      { [BACKSTAGE_KUBERNETES_ID]: spec.slug },
      tenantFactAnnotations(spec, sizing),
    ),
    spec: {
      dataStore: spec.dataStore,
      dataStoreSchema: tenantDataStoreName(spec.slug),
      dataStoreUsername: tenantDataStoreName(spec.slug),
      controlPlane: {
        deployment: {
          replicas: cp.replicas,
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
          },
          additionalMetadata: { labels: { ...workloadLabels } },
          podAdditionalMetadata: { labels: { ...workloadLabels } },
          resources: {
            apiServer: resources(cp.apiServer),
            controllerManager: resources(cp.controllerManager),
            scheduler: resources(cp.scheduler),
            ...(cp.kine ? { kine: resources(cp.kine) } : {}),
          },
          extraArgs: {
            apiServer: [
              `--authentication-config=${AUTHENTICATION_CONFIG_DIR}/config.yaml`,
            ],
          },
          additionalVolumes: [
            {
              name: authVolume,
              configMap: { name: AUTHENTICATION_CONFIG_NAME },
            },
          ],
          additionalVolumeMounts: {
            apiServer: [
              {
                name: authVolume,
                mountPath: AUTHENTICATION_CONFIG_DIR,
                readOnly: true,
              },
            ],
          },
        },
        service: {
          serviceType: 'LoadBalancer',
          additionalMetadata: { labels: { [TENANT_LABEL]: spec.slug } },
        },
      },
      kubernetes: {
        version: spec.kubernetesVersion,
        kubelet: {
          preferredAddressTypes: ['InternalIP', 'ExternalIP', 'Hostname'],
        },
        admissionControllers: [...ADMISSION_CONTROLLERS],
      },
      networkProfile: {
        port: API_SERVER_PORT,
        loadBalancerSourceRanges: [...env.workerCidrs],
      },
      addons: {
        coreDNS: {},
        kubeProxy: {},
        konnectivity: {
          server: {
            port: KONNECTIVITY_PORT,
            resources: resources(cp.konnectivityServer),
          },
          agent: { mode: 'DaemonSet' },
        },
      },
    },
  };
}

/**
 * The DataStore schema and user of a tenant's control plane: its management
 * namespace with every `-` as `_` (`tenant-hospital-x` becomes
 * `tenant_hospital_x`). The admission policy of
 * deploy/rbac/controlplane-pin.yaml requires exactly this name, so a control
 * plane can never point at another tenant's data.
 *
 * @public
 */
export function tenantDataStoreName(slug: string): string {
  return managementNamespaceName(slug).replace(/-/g, '_');
}

/**
 * The management layer, in apply order: Namespace, ResourceQuota,
 * LimitRange, NetworkPolicies, the reader's RoleBinding, TenantControlPlane.
 *
 * @public
 */
export function buildManagementLayer(
  spec: TenantSpec,
  sizing: TenantSizing,
  config: HospitalTenantsConfig,
): KubernetesObject[] {
  const env = resolveEnvironment(config, spec.region, spec.environment);
  if (!env) {
    throw environmentNotConfiguredError(spec);
  }
  const namespace = managementNamespaceName(spec.slug);
  const meta = (name: string, ns?: string) =>
    objectMeta(spec.slug, 'management-cluster', name, ns);
  const { quota, limitRange } = sizing.management;
  const mgmt = config.network.management;
  const dataStore = config.dataStores[spec.dataStore];
  const tcpPods = { matchLabels: { [KAMAJI_NAME_LABEL]: spec.slug } };
  const loadBalancerSources =
    mgmt.loadBalancerTrafficSource === 'clients'
      ? env.workerCidrs
      : mgmt.nodeCidrs;

  const namespaceObject: INamespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: objectMeta(
      spec.slug,
      'management-cluster',
      namespace,
      undefined,
      podSecurityLabels('baseline'),
    ),
  };

  const resourceQuota: IResourceQuota = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('tenant-control-plane-quota', namespace),
    spec: {
      hard: {
        'requests.cpu': formatCpu(quota.cpuMillicores),
        'limits.cpu': formatCpu(quota.cpuMillicores),
        'requests.memory': formatMemory(quota.memoryMebibytes),
        'limits.memory': formatMemory(quota.memoryMebibytes),
        pods: String(quota.pods),
        services: String(quota.services),
        'services.loadbalancers': String(quota.loadBalancers),
        'services.nodeports': String(quota.nodePorts),
        secrets: String(quota.secrets),
        configmaps: String(quota.configMaps),
        persistentvolumeclaims: String(quota.persistentVolumeClaims),
        'requests.storage': '0',
      },
    },
  };

  const cpuMem = (size: ResourceSize) => ({
    cpu: formatCpu(size.cpuMillicores),
    memory: formatMemory(size.memoryMebibytes),
  });
  const limitRangeObject: ILimitRange = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('tenant-control-plane-limits', namespace),
    spec: {
      limits: [
        {
          type: 'Container',
          default: cpuMem(limitRange.containerDefault),
          defaultRequest: cpuMem(limitRange.containerDefault),
          min: cpuMem(limitRange.containerMin),
          max: cpuMem(limitRange.containerMax),
          maxLimitRequestRatio: { cpu: '1', memory: '1' },
        },
        { type: 'Pod', max: cpuMem(limitRange.podMax) },
      ],
    },
  };

  const policies: KubernetesObject[] = [
    networkPolicy(meta('default-deny-all', namespace), {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    }),
    networkPolicy(meta('allow-control-plane-api', namespace), {
      podSelector: tcpPods,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: namespaceSelector([
                mgmt.kamajiNamespace,
                mgmt.portalNamespace,
              ]),
            },
            ...loadBalancerSources.map(cidr => ({ ipBlock: { cidr } })),
          ],
          ports: tcpPorts([API_SERVER_PORT, KONNECTIVITY_PORT]),
        },
      ],
    }),
    networkPolicy(meta('allow-monitoring-scrape', namespace), {
      podSelector: tcpPods,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: namespaceSelector([mgmt.monitoringNamespace]),
            },
          ],
          ports: tcpPorts([
            API_SERVER_PORT,
            CONTROLLER_MANAGER_PORT,
            SCHEDULER_PORT,
          ]),
        },
      ],
    }),
    networkPolicy(meta('allow-datastore-egress', namespace), {
      podSelector: tcpPods,
      policyTypes: ['Egress'],
      egress: [
        {
          to: dataStore.network.namespace
            ? [
                {
                  namespaceSelector: namespaceSelector([
                    dataStore.network.namespace,
                  ]),
                  ...(dataStore.network.podLabels
                    ? {
                        podSelector: {
                          matchLabels: { ...dataStore.network.podLabels },
                        },
                      }
                    : {}),
                },
              ]
            : (dataStore.network.cidrs ?? []).map(cidr => ({
                ipBlock: { cidr },
              })),
          ports: tcpPorts([dataStore.network.port]),
        },
      ],
    }),
    networkPolicy(meta('allow-dns-egress', namespace), {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [dnsEgressRule(config)],
    }),
  ];
  if (env.oidc) {
    policies.push(
      networkPolicy(meta('allow-oidc-issuer-egress', namespace), {
        podSelector: tcpPods,
        policyTypes: ['Egress'],
        egress: [
          {
            to: env.oidc.egressCidrs.map(cidr => ({ ipBlock: { cidr } })),
            ports: tcpPorts([env.oidc.egressPort]),
          },
        ],
      }),
    );
  }

  // the reader reads this namespace, and no other tenant's, through this
  // binding (deploy/rbac/reader.yaml; pinned by reader-binding-guard.yaml)
  const readerBinding: KubernetesObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(TENANT_READER_ACCESS, namespace),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: TENANT_READER_ACCESS,
    },
    subjects: [
      {
        kind: 'ServiceAccount',
        name: DEFAULT_READER_SERVICE_ACCOUNT.name,
        namespace: DEFAULT_READER_SERVICE_ACCOUNT.namespace,
      },
    ],
  };

  return [
    planObject(namespaceObject),
    planObject(resourceQuota),
    planObject(limitRangeObject),
    ...policies,
    readerBinding,
    buildAuthenticationConfigMap(spec, namespace, { oidc: env.oidc }),
    buildTenantControlPlane(spec, sizing, config),
  ];
}
