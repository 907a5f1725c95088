import {
  cidrContains,
  parseCpuMillicores,
  parseMemoryMebibytes,
  parseQuantity,
  TargetCluster,
} from '@prontuario/plugin-hospital-tenants-common';
import { KubernetesObject, TargetedObject, TenantPlan } from '../plan/types';
import { listPlanObjects } from '../plan/renderPlanYaml';
import { LabelSelector, selectorMatches } from './labels';

/**
 * One end of a connection: a pod (cluster + namespace + labels, optionally
 * its IP) or a bare IP address (a node, a load balancer, the internet).
 *
 * @public
 */
export interface TrafficEndpoint {
  cluster: TargetCluster;
  /** Set for pods. */
  namespace?: string;
  /** Labels of the namespace, for namespaces the plan does not create. */
  namespaceLabels?: Record<string, string>;
  podLabels?: Record<string, string>;
  ip?: string;
}

/**
 * A connection to check.
 *
 * @public
 */
export interface TrafficQuery {
  from: TrafficEndpoint;
  to: TrafficEndpoint;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

/**
 * A Kubernetes user for RBAC questions.
 *
 * @public
 */
export interface RbacSubject {
  user?: string;
  groups: string[];
  serviceAccount?: { namespace: string; name: string };
}

/**
 * A container to check against a LimitRange (quantities as strings).
 *
 * @public
 */
export interface ContainerResources {
  name: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface NetworkPolicyRule {
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: string[];
  ingress?: NetworkPolicyRule[];
  egress?: NetworkPolicyRule[];
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** The Secrets Kamaji creates per TenantControlPlane (see Kamaji's internal/resources). */
const KAMAJI_SECRETS = [
  'ca',
  'api-server-certificate',
  'api-server-kubelet-client-certificate',
  'front-proxy-ca-certificate',
  'front-proxy-client-certificate',
  'sa-certificate',
  'datastore-certificate',
  'datastore-config',
  'konnectivity-certificate',
  'konnectivity-kubeconfig',
  'admin-kubeconfig',
  'controller-manager-kubeconfig',
  'scheduler-kubeconfig',
];

function policyTypes(spec: NetworkPolicySpec): string[] {
  if (spec.policyTypes && spec.policyTypes.length > 0) {
    return spec.policyTypes;
  }
  return spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function portMatches(
  ports: NetworkPolicyPort[] | undefined,
  port: number,
  protocol: string,
): boolean {
  if (!ports || ports.length === 0) {
    return true;
  }
  return ports.some(p => {
    if ((p.protocol ?? 'TCP') !== protocol) {
      return false;
    }
    if (p.port === undefined) {
      return true;
    }
    if (typeof p.port === 'string') {
      // Named ports are not resolved by this evaluator: fail closed.
      return false;
    }
    return p.endPort !== undefined
      ? port >= p.port && port <= p.endPort
      : port === p.port;
  });
}

/**
 * A small evaluator over a rendered plan (one or more tenants): answers
 * "is this traffic admitted?", "may this subject do this?", "does this
 * container fit the LimitRange?" and "does the quota fit the surge?" from
 * the objects themselves, following Kubernetes semantics.
 *
 * @public
 */
export class PlanEvaluator {
  readonly #index = new Map<string, KubernetesObject[]>();
  readonly #dataStoreDrivers: Record<string, string>;

  static fromPlans(
    plans: TenantPlan[],
    options: { dataStoreDrivers?: Record<string, string> } = {},
  ): PlanEvaluator {
    return new PlanEvaluator(plans.flatMap(listPlanObjects), options);
  }

  constructor(
    objects: TargetedObject[],
    options: { dataStoreDrivers?: Record<string, string> } = {},
  ) {
    for (const { target, object } of objects) {
      for (const ns of [object.metadata.namespace ?? '', '*']) {
        const key = `${target}|${object.kind}|${ns}`;
        const list = this.#index.get(key) ?? [];
        list.push(object);
        this.#index.set(key, list);
      }
    }
    this.#dataStoreDrivers = options.dataStoreDrivers ?? {};
  }

  #of(cluster: TargetCluster, kind: string, namespace?: string) {
    return this.#index.get(`${cluster}|${kind}|${namespace ?? '*'}`) ?? [];
  }

  /** Labels of a namespace: the plan's own, or the endpoint's, plus the automatic name label. */
  namespaceLabels(
    cluster: TargetCluster,
    namespace: string,
    given?: Record<string, string>,
  ): Record<string, string> {
    const planned = this.#of(cluster, 'Namespace').find(
      ns => ns.metadata.name === namespace,
    );
    return {
      ...(planned ? planned.metadata.labels : given ?? {}),
      [NAME_LABEL]: namespace,
    };
  }

  #peerMatches(
    peer: NetworkPolicyPeer,
    policyNamespace: string,
    policyCluster: TargetCluster,
    other: TrafficEndpoint,
  ): boolean {
    if (peer.ipBlock) {
      if (!other.ip || !cidrContains(peer.ipBlock.cidr, other.ip)) {
        return false;
      }
      return !(peer.ipBlock.except ?? []).some(e => cidrContains(e, other.ip!));
    }
    // Pod and namespace selectors only see pods of the same cluster.
    if (other.cluster !== policyCluster || !other.namespace) {
      return false;
    }
    if (peer.namespaceSelector) {
      const labels = this.namespaceLabels(
        other.cluster,
        other.namespace,
        other.namespaceLabels,
      );
      if (!selectorMatches(peer.namespaceSelector, labels)) {
        return false;
      }
    } else if (other.namespace !== policyNamespace) {
      return false;
    }
    return selectorMatches(peer.podSelector, other.podLabels ?? {});
  }

  #sideAdmits(
    direction: 'Ingress' | 'Egress',
    pod: TrafficEndpoint,
    other: TrafficEndpoint,
    port: number,
    protocol: string,
  ): boolean {
    if (!pod.namespace) {
      return true; // not a pod: no policy applies on this side
    }
    const selecting = this.#of(pod.cluster, 'NetworkPolicy', pod.namespace)
      .map(p => p as KubernetesObject & { spec: NetworkPolicySpec })
      .filter(
        p =>
          selectorMatches(p.spec.podSelector, pod.podLabels ?? {}) &&
          policyTypes(p.spec).includes(direction),
      );
    if (selecting.length === 0) {
      return true;
    }
    return selecting.some(p => {
      const rules =
        (direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? [];
      return rules.some(rule => {
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        const peerOk =
          !peers ||
          peers.length === 0 ||
          peers.some(peer =>
            this.#peerMatches(peer, pod.namespace!, pod.cluster, other),
          );
        return peerOk && portMatches(rule.ports, port, protocol);
      });
    });
  }

  /**
   * Whether traffic from `from` to `to` on a port is admitted by both the
   * egress policies of the source and the ingress policies of the
   * destination.
   */
  isTrafficAdmitted(query: TrafficQuery): boolean {
    const protocol = query.protocol ?? 'TCP';
    return (
      this.#sideAdmits('Egress', query.from, query.to, query.port, protocol) &&
      this.#sideAdmits('Ingress', query.to, query.from, query.port, protocol)
    );
  }

  /**
   * Whether a client IP may reach a tenant's API through its LoadBalancer
   * (`networkProfile.loadBalancerSourceRanges`; empty means everyone).
   */
  loadBalancerAdmits(tenantSlug: string, clientIp: string): boolean {
    const tcp = this.#of('management-cluster', 'TenantControlPlane').find(
      o => o.metadata.name === tenantSlug,
    ) as KubernetesObject & {
      spec: { networkProfile?: { loadBalancerSourceRanges?: string[] } };
    };
    if (!tcp) {
      return false;
    }
    const ranges = tcp.spec.networkProfile?.loadBalancerSourceRanges ?? [];
    return ranges.length === 0 || ranges.some(r => cidrContains(r, clientIp));
  }

  /**
   * RBAC: whether a subject may perform `verb` on a resource in a namespace
   * (or cluster-wide when `namespace` is undefined) of a cluster, according
   * to the Roles, ClusterRoles and bindings in the plan.
   */
  can(
    cluster: TargetCluster,
    subject: RbacSubject,
    verb: string,
    target: {
      apiGroup: string;
      resource: string;
      namespace?: string;
      name?: string;
    },
  ): boolean {
    const bound = (subjects: Array<Record<string, string>> = []) =>
      subjects.some(s => {
        if (s.kind === 'Group') return subject.groups.includes(s.name);
        if (s.kind === 'User') return s.name === subject.user;
        if (s.kind === 'ServiceAccount') {
          return (
            subject.serviceAccount?.name === s.name &&
            subject.serviceAccount?.namespace === s.namespace
          );
        }
        return false;
      });
    const ruleAllows = (rule: PolicyRule) => {
      const any = (list: string[] | undefined, value: string) =>
        (list ?? []).includes('*') || (list ?? []).includes(value);
      return (
        any(rule.verbs, verb) &&
        any(rule.apiGroups, target.apiGroup) &&
        any(rule.resources, target.resource) &&
        (!rule.resourceNames ||
          rule.resourceNames.length === 0 ||
          (target.name !== undefined &&
            rule.resourceNames.includes(target.name)))
      );
    };
    const rulesOf = (
      kind: 'Role' | 'ClusterRole',
      name: string,
      ns?: string,
    ) => {
      const role = this.#of(
        cluster,
        kind,
        kind === 'Role' ? ns : undefined,
      ).find(r => r.metadata.name === name) as
        | (KubernetesObject & { rules?: PolicyRule[] })
        | undefined;
      return role?.rules ?? [];
    };
    const viaClusterBindings = this.#of(cluster, 'ClusterRoleBinding')
      .map(
        b =>
          b as KubernetesObject & {
            subjects?: Array<Record<string, string>>;
            roleRef: { kind: string; name: string };
          },
      )
      .filter(b => bound(b.subjects))
      .some(b => rulesOf('ClusterRole', b.roleRef.name).some(ruleAllows));
    if (viaClusterBindings) {
      return true;
    }
    if (target.namespace === undefined) {
      return false;
    }
    return this.#of(cluster, 'RoleBinding', target.namespace)
      .map(
        b =>
          b as KubernetesObject & {
            subjects?: Array<Record<string, string>>;
            roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
          },
      )
      .filter(b => bound(b.subjects))
      .some(b =>
        rulesOf(b.roleRef.kind, b.roleRef.name, target.namespace).some(
          ruleAllows,
        ),
      );
  }

  /** The Container LimitRange item of a namespace, if any. */
  #containerLimits(cluster: TargetCluster, namespace: string) {
    const items = this.#of(cluster, 'LimitRange', namespace).flatMap(
      lr =>
        (
          lr as KubernetesObject & {
            spec: { limits: Array<Record<string, any>> };
          }
        ).spec.limits ?? [],
    );
    return {
      container: items.find(i => i.type === 'Container'),
      pod: items.find(i => i.type === 'Pod'),
    };
  }

  /**
   * Applies the namespace's LimitRange defaults to a container the way the
   * LimitRanger admission plugin does.
   */
  admitContainer(
    cluster: TargetCluster,
    namespace: string,
    container: ContainerResources,
  ): ContainerResources {
    const { container: item } = this.#containerLimits(cluster, namespace);
    const limits = { ...(item?.default ?? {}), ...(container.limits ?? {}) };
    const requests = {
      ...(item?.defaultRequest ?? {}),
      ...limitsAsRequests(container.limits),
      ...(container.requests ?? {}),
    };
    return { name: container.name, requests, limits };
  }

  /**
   * Problems of a container (after LimitRange defaulting) against its
   * namespace's LimitRange: min, max and maxLimitRequestRatio. Empty when it
   * fits.
   */
  limitRangeViolations(
    cluster: TargetCluster,
    namespace: string,
    container: ContainerResources,
  ): string[] {
    const { container: item } = this.#containerLimits(cluster, namespace);
    const admitted = this.admitContainer(cluster, namespace, container);
    const problems: string[] = [];
    if (!item) {
      return [`${namespace}: no Container LimitRange`];
    }
    for (const resource of ['cpu', 'memory']) {
      const request = admitted.requests?.[resource];
      const limit = admitted.limits?.[resource];
      if (request === undefined || limit === undefined) {
        problems.push(
          `${container.name}: no ${resource} request/limit after defaulting`,
        );
        continue;
      }
      const r = parseQuantity(request);
      const l = parseQuantity(limit);
      if (item.min?.[resource] && r < parseQuantity(item.min[resource])) {
        problems.push(
          `${container.name}: ${resource} request ${request} below min ${item.min[resource]}`,
        );
      }
      if (item.max?.[resource] && l > parseQuantity(item.max[resource])) {
        problems.push(
          `${container.name}: ${resource} limit ${limit} above max ${item.max[resource]}`,
        );
      }
      if (l < r) {
        problems.push(`${container.name}: ${resource} limit below request`);
      }
      const ratio = item.maxLimitRequestRatio?.[resource];
      if (ratio && l / r > parseQuantity(ratio) + 1e-9) {
        problems.push(
          `${container.name}: ${resource} limit/request above ${ratio}`,
        );
      }
    }
    return problems;
  }

  /**
   * The containers and init containers Kamaji runs in each pod of a
   * TenantControlPlane, with the resources the TCP gives them (none for the
   * kine `chmod` init container).
   */
  controlPlaneContainers(tenantSlug: string): {
    namespace: string;
    replicas: number;
    maxSurge: number;
    containers: ContainerResources[];
    initContainers: ContainerResources[];
  } {
    const tcp = this.#of('management-cluster', 'TenantControlPlane').find(
      o => o.metadata.name === tenantSlug,
    ) as (KubernetesObject & { spec: any }) | undefined;
    if (!tcp) {
      throw new Error(`No TenantControlPlane ${tenantSlug} in the plan`);
    }
    const deployment = tcp.spec.controlPlane?.deployment ?? {};
    const res = deployment.resources ?? {};
    const replicas: number = deployment.replicas ?? 2;
    const surgeValue = deployment.strategy?.rollingUpdate?.maxSurge ?? '100%';
    const maxSurge =
      typeof surgeValue === 'string' && surgeValue.endsWith('%')
        ? Math.ceil((replicas * Number(surgeValue.slice(0, -1))) / 100)
        : Number(surgeValue);
    const driver = this.#dataStoreDrivers[tcp.spec.dataStore] ?? 'etcd';
    const containers: ContainerResources[] = [
      { name: 'kube-apiserver', ...(res.apiServer ?? {}) },
      { name: 'kube-controller-manager', ...(res.controllerManager ?? {}) },
      { name: 'kube-scheduler', ...(res.scheduler ?? {}) },
    ];
    const initContainers: ContainerResources[] = [];
    if (tcp.spec.addons?.konnectivity) {
      containers.push({
        name: 'konnectivity-server',
        ...(tcp.spec.addons.konnectivity.server?.resources ?? {}),
      });
    }
    if (driver !== 'etcd') {
      containers.push({ name: 'kine', ...(res.kine ?? {}) });
      initContainers.push({ name: 'chmod' });
    }
    return {
      namespace: tcp.metadata.namespace!,
      replicas,
      maxSurge,
      containers,
      initContainers,
    };
  }

  /**
   * Whether the management quota admits every pod of a rolling update at
   * full surge (old and new ReplicaSets), init containers included, plus
   * twice the Services, LoadBalancers, node ports, Secrets and ConfigMaps
   * Kamaji creates. Empty when it fits.
   */
  quotaSurgeViolations(tenantSlug: string): string[] {
    const cp = this.controlPlaneContainers(tenantSlug);
    const admit = (c: ContainerResources) =>
      this.admitContainer('management-cluster', cp.namespace, c);
    const containers = cp.containers.map(admit);
    const inits = cp.initContainers.map(admit);
    const effective = (
      kind: 'requests' | 'limits',
      resource: 'cpu' | 'memory',
    ) => {
      const parse =
        resource === 'cpu' ? parseCpuMillicores : parseMemoryMebibytes;
      const total = containers.reduce(
        (acc, c) => acc + parse(c[kind]?.[resource] ?? '0'),
        0,
      );
      const init = Math.max(
        0,
        ...inits.map(c => parse(c[kind]?.[resource] ?? '0')),
      );
      return Math.max(total, init);
    };
    const pods = cp.replicas + cp.maxSurge;
    const quota = this.#of('management-cluster', 'ResourceQuota', cp.namespace)
      .map(
        q =>
          (q as KubernetesObject & { spec: { hard: Record<string, string> } })
            .spec.hard,
      )
      .reduce(
        (acc, hard) => ({ ...acc, ...hard }),
        {} as Record<string, string>,
      );
    const problems: string[] = [];
    const need: Array<[string, number, (q: string) => number]> = [
      ['requests.cpu', pods * effective('requests', 'cpu'), parseCpuMillicores],
      ['limits.cpu', pods * effective('limits', 'cpu'), parseCpuMillicores],
      [
        'requests.memory',
        pods * effective('requests', 'memory'),
        parseMemoryMebibytes,
      ],
      [
        'limits.memory',
        pods * effective('limits', 'memory'),
        parseMemoryMebibytes,
      ],
      ['pods', pods, parseQuantity],
      ['services', 2 * 1, parseQuantity],
      ['services.loadbalancers', 2 * 1, parseQuantity],
      ['services.nodeports', 2 * 2, parseQuantity],
      ['secrets', 2 * KAMAJI_SECRETS.length, parseQuantity],
      ['configmaps', 2 * 3, parseQuantity],
    ];
    for (const [key, required, parse] of need) {
      if (quota[key] === undefined) {
        continue; // not limited by the quota
      }
      if (parse(quota[key]) + 1e-9 < required) {
        problems.push(
          `${key}: quota ${quota[key]} < ${required} needed at full surge`,
        );
      }
    }
    return problems;
  }
}

function limitsAsRequests(limits?: Record<string, string>) {
  // Kubernetes defaults a missing request to the container's own limit.
  return limits ? { ...limits } : {};
}
