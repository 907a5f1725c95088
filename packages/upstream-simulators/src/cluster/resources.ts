/*
 * The API resources the simulated clusters serve, and their discovery
 * documents (APIVersions, APIGroupList, APIResourceList) as kube-apiserver
 * renders them.
 */

/** One served resource type. @public */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** subresources served (`status`, `scale`) */
  subresources?: string[];
  /** whether metadata.generation tracks changes of the object */
  generation: boolean;
  /** served only by the management cluster (Kamaji's CRDs) */
  managementOnly?: boolean;
  /** virtual resources (reviews) are created and answered, never stored */
  virtual?: boolean;
}

const RW = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function r(
  gv: string,
  kind: string,
  plural: string,
  opts: Partial<ResourceType> = {},
): ResourceType {
  const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    verbs: RW,
    generation: false,
    ...opts,
  };
}

/** Every resource type of both kinds of simulated cluster. @public */
export const RESOURCE_TYPES: ResourceType[] = [
  r('v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  }),
  r('v1', 'ResourceQuota', 'resourcequotas', {
    shortNames: ['quota'],
    subresources: ['status'],
  }),
  r('v1', 'LimitRange', 'limitranges', { shortNames: ['limits'] }),
  r('v1', 'Secret', 'secrets'),
  r('v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  r('v1', 'ServiceAccount', 'serviceaccounts', {
    shortNames: ['sa'],
    subresources: ['token'],
  }),
  r('v1', 'Service', 'services', {
    shortNames: ['svc'],
    verbs: [
      'create',
      'delete',
      'deletecollection',
      'get',
      'list',
      'patch',
      'update',
      'watch',
    ],
    subresources: ['status'],
  }),
  r('v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  r('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', {
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  r('apps/v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  r('apps/v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  r('apps/v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  r('apps/v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  r('autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  r('batch/v1', 'Job', 'jobs', {
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  r('batch/v1', 'CronJob', 'cronjobs', {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  r('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', {
    shortNames: ['netpol'],
    generation: true,
  }),
  r('networking.k8s.io/v1', 'Ingress', 'ingresses', {
    shortNames: ['ing'],
    subresources: ['status'],
    generation: true,
  }),
  r('rbac.authorization.k8s.io/v1', 'Role', 'roles'),
  r('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'),
  r('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', {
    namespaced: false,
  }),
  r(
    'rbac.authorization.k8s.io/v1',
    'ClusterRoleBinding',
    'clusterrolebindings',
    {
      namespaced: false,
    },
  ),
  r(
    'admissionregistration.k8s.io/v1',
    'ValidatingAdmissionPolicy',
    'validatingadmissionpolicies',
    {
      namespaced: false,
      subresources: ['status'],
      generation: true,
    },
  ),
  r(
    'admissionregistration.k8s.io/v1',
    'ValidatingAdmissionPolicyBinding',
    'validatingadmissionpolicybindings',
    {
      namespaced: false,
      generation: true,
    },
  ),
  r(
    'authorization.k8s.io/v1',
    'SelfSubjectAccessReview',
    'selfsubjectaccessreviews',
    {
      namespaced: false,
      verbs: ['create'],
      virtual: true,
    },
  ),
  r('kamaji.clastix.io/v1alpha1', 'TenantControlPlane', 'tenantcontrolplanes', {
    shortNames: ['tcp'],
    categories: ['kamaji'],
    subresources: ['status', 'scale'],
    generation: true,
    managementOnly: true,
  }),
  r('kamaji.clastix.io/v1alpha1', 'DataStore', 'datastores', {
    namespaced: false,
    subresources: ['status'],
    generation: true,
    managementOnly: true,
  }),
];

/** The resource types one kind of cluster serves. @public */
export function resourceTypesFor(management: boolean): ResourceType[] {
  return RESOURCE_TYPES.filter(t => management || !t.managementOnly);
}

export function groupVersion(t: { group: string; version: string }) {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** `GET /api` */
export function apiVersions() {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' },
    ],
  };
}

function groupsOf(types: ResourceType[]) {
  const groups = new Map<string, string[]>();
  for (const t of types) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  return groups;
}

/** `GET /apis` */
export function apiGroupList(types: ResourceType[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupsOf(types)].map(([name, versions]) => ({
      name,
      versions: versions.map(version => ({
        groupVersion: `${name}/${version}`,
        version,
      })),
      preferredVersion: {
        groupVersion: `${name}/${versions[0]}`,
        version: versions[0],
      },
    })),
  };
}

/** `GET /apis/<group>` */
export function apiGroup(types: ResourceType[], group: string) {
  return apiGroupList(types).groups.find(g => g.name === group);
}

/** `GET /api/v1` and `GET /apis/<group>/<version>` */
export function apiResourceList(
  types: ResourceType[],
  group: string,
  version: string,
) {
  const selected = types.filter(
    t => t.group === group && t.version === version,
  );
  if (selected.length === 0) return undefined;
  const resources = selected.flatMap(t => [
    {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
    },
    ...(t.subresources ?? []).map(sub =>
      sub === 'scale'
        ? {
            name: `${t.plural}/scale`,
            singularName: '',
            namespaced: t.namespaced,
            group: 'autoscaling',
            version: 'v1',
            kind: 'Scale',
            verbs: ['get', 'patch', 'update'],
          }
        : {
            name: `${t.plural}/${sub}`,
            singularName: '',
            namespaced: t.namespaced,
            kind: t.kind,
            verbs: ['get', 'patch', 'update'],
          },
    ),
  ]);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
