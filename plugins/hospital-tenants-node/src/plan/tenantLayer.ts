import {
  departmentNamespaceName,
  formatCpu,
  formatMemory,
  formatStorage,
  HospitalTenantsConfig,
  ResourceSize,
  resolveEnvironment,
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
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { KubernetesObject } from './types';
import { tenantClusterGroupName } from './clusterGroup';
import {
  TENANT_CHECKER_USERNAME,
  TENANT_ISOLATION_READER,
  TENANT_ISOLATION_READER_RULES,
} from '../cluster/tenantReaderIdentity';

/** Label on each department namespace naming its department. @public */
export const DEPARTMENT_LABEL = 'hospital-tenants.io/department';

/** The Role every department namespace gets. @public */
export const DEPARTMENT_ROLE_NAME = 'hospital-department-member';

/**
 * What the hospital's cluster group may do in each department namespace: run
 * and operate its workloads, but never change NetworkPolicies, quotas,
 * limits, RBAC or the namespace itself (those are read-only or absent).
 *
 * @public
 */
export const DEPARTMENT_ROLE_RULES = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'services',
      'configmaps',
      'secrets',
      'persistentvolumeclaims',
      'serviceaccounts',
    ],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
  {
    apiGroups: [''],
    resources: ['pods/log', 'pods/exec', 'pods/portforward'],
    verbs: ['get', 'create'],
  },
  {
    apiGroups: [''],
    resources: ['events', 'endpoints', 'resourcequotas', 'limitranges'],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'statefulsets', 'replicasets'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments/scale', 'statefulsets/scale'],
    verbs: ['get', 'update', 'patch'],
  },
  {
    apiGroups: ['batch'],
    resources: ['jobs', 'cronjobs'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
  {
    apiGroups: ['autoscaling'],
    resources: ['horizontalpodautoscalers'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
  {
    apiGroups: ['policy'],
    resources: ['poddisruptionbudgets'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['networkpolicies'],
    verbs: ['get', 'list', 'watch'],
  },
];

const cpuMem = (size: ResourceSize) => ({
  cpu: formatCpu(size.cpuMillicores),
  memory: formatMemory(size.memoryMebibytes),
});

/**
 * The objects of one department namespace in the tenant cluster, in apply
 * order: Namespace, ResourceQuota, LimitRange, NetworkPolicies, Role,
 * RoleBinding.
 *
 * @public
 */
export function buildDepartment(
  spec: TenantSpec,
  department: string,
  sizing: TenantSizing,
  config: HospitalTenantsConfig,
): KubernetesObject[] {
  const env = resolveEnvironment(config, spec.region, spec.environment);
  const namespace = departmentNamespaceName(department);
  const meta = (name: string) =>
    objectMeta(spec.slug, 'tenant-cluster', name, namespace);
  const { quota, limitRange } = sizing.department;
  const tenantCluster = config.network.tenantCluster;
  const approved = spec.approvedExternalApiCidrs;

  const namespaceObject: INamespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: objectMeta(
      spec.slug,
      'tenant-cluster',
      namespace,
      undefined,
      { [DEPARTMENT_LABEL]: namespace, ...podSecurityLabels('restricted') },
      { 'hospital-tenants.io/department-name': department },
    ),
  };
  const resourceQuota: IResourceQuota = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('department-quota'),
    spec: {
      hard: {
        'requests.cpu': formatCpu(quota.cpuMillicores),
        'limits.cpu': formatCpu(quota.cpuMillicores),
        'requests.memory': formatMemory(quota.memoryMebibytes),
        'limits.memory': formatMemory(quota.memoryMebibytes),
        pods: String(quota.pods),
        services: String(quota.services),
        'services.loadbalancers': '0',
        'services.nodeports': '0',
        persistentvolumeclaims: String(quota.persistentVolumeClaims),
        'requests.storage': formatStorage(quota.storageGibibytes),
        configmaps: String(quota.configMaps),
        secrets: String(quota.secrets),
      },
    },
  };
  const limitRangeObject: ILimitRange = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('department-limits'),
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
        {
          type: 'PersistentVolumeClaim',
          min: { storage: formatStorage(limitRange.pvcMinGibibytes) },
          max: { storage: formatStorage(limitRange.pvcMaxGibibytes) },
        },
      ],
    },
  };

  const objects: KubernetesObject[] = [
    planObject(namespaceObject),
    planObject(resourceQuota),
    planObject(limitRangeObject),
    networkPolicy(meta('default-deny-all'), {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    }),
    networkPolicy(meta('allow-same-namespace'), {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    networkPolicy(meta('allow-dns-egress'), {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [dnsEgressRule(config)],
    }),
  ];

  const platformIngress = [
    ...tenantCluster.ingressNamespaces,
    ...tenantCluster.monitoringNamespaces,
  ];
  if (platformIngress.length > 0) {
    objects.push(
      networkPolicy(meta('allow-platform-ingress'), {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ namespaceSelector: namespaceSelector(platformIngress) }] },
        ],
      }),
    );
  }
  if (tenantCluster.sharedServiceNamespaces.length > 0) {
    objects.push(
      networkPolicy(meta('allow-shared-services-egress'), {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: namespaceSelector(
                  tenantCluster.sharedServiceNamespaces,
                ),
              },
            ],
          },
        ],
      }),
    );
  }
  if (approved.length > 0) {
    objects.push(
      networkPolicy(meta('allow-approved-external-apis'), {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: approved.map(cidr => ({ ipBlock: { cidr } })),
            ports: tcpPorts(config.approvedExternalApis.ports),
          },
        ],
      }),
    );
  }

  const role: IRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(DEPARTMENT_ROLE_NAME),
    rules: DEPARTMENT_ROLE_RULES.map(rule => ({
      apiGroups: [...rule.apiGroups],
      resources: [...rule.resources],
      verbs: [...rule.verbs],
    })),
  };
  const roleBinding: IRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(`${DEPARTMENT_ROLE_NAME}s`),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: DEPARTMENT_ROLE_NAME,
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: tenantClusterGroupName(spec.clusterGroup, env),
      },
    ],
  };
  objects.push(planObject(role), planObject(roleBinding));
  return objects;
}

/**
 * The tenant layer: every department's objects, department by department.
 *
 * @public
 */
export function buildTenantLayer(
  spec: TenantSpec,
  sizing: TenantSizing,
  config: HospitalTenantsConfig,
): KubernetesObject[] {
  return [
    ...spec.departments.flatMap(department =>
      buildDepartment(spec, department, sizing, config),
    ),
    ...buildIsolationReader(spec),
  ];
}

/**
 * The portal's read-only access inside the tenant cluster: a ClusterRole
 * limited to what the isolation report reads, bound to the management
 * cluster's checker ServiceAccount as the tenant API server names it.
 *
 * @public
 */
export function buildIsolationReader(spec: TenantSpec): KubernetesObject[] {
  const metadata = objectMeta(
    spec.slug,
    'tenant-cluster',
    TENANT_ISOLATION_READER,
  );
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata,
      rules: TENANT_ISOLATION_READER_RULES.map(rule => ({
        apiGroups: [...rule.apiGroups],
        resources: [...rule.resources],
        verbs: [...rule.verbs],
      })),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata,
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: TENANT_ISOLATION_READER,
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'User',
          name: TENANT_CHECKER_USERNAME,
        },
      ],
    },
  ];
}
