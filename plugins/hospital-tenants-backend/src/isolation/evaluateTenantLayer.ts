import {
  departmentNamespaceName,
  IsolationCheck,
  TENANT_ANNOTATIONS,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  DEPARTMENT_ROLE_NAME,
  KubernetesObject,
  PlanEvaluator,
  TENANT_CHECKER_USERNAME,
  TrafficEndpoint,
} from '@prontuario/plugin-hospital-tenants-node';
import type { Read } from './evaluateIsolation';
import type { ExpectedClusterGroup } from './expectedClusterGroup';
import {
  describeRole,
  describeSubject,
  isPlatformSubject,
  PlatformIdentities,
} from './subjects';

type Obj = KubernetesObject & Record<string, any>;
type Check = IsolationCheck;

/** The live objects of a tenant's own cluster (read with the tenant reader identity). */
export interface LiveTenantObjects {
  /** the department namespaces the plan renders (from the control plane's facts) */
  departments: string[];
  namespaces: Read<Obj[]>;
  networkPolicies: Read<Obj[]>;
  resourceQuotas: Read<Obj[]>;
  limitRanges: Read<Obj[]>;
  roleBindings: Read<Obj[]>;
  clusterRoleBindings: Read<Obj[]>;
  /**
   * The group the department RoleBindings must bind, as the tenant API
   * server names it (the owner group's cluster group behind the
   * environment's OIDC groups prefix), or why it is not known.
   */
  expectedGroup: ExpectedClusterGroup;
  daemonSets: Read<Obj[]>;
  crds: Read<Obj[]>;
}

/** The tenant-layer checks, in report order. */
export const TENANT_LAYER_CHECKS: Array<[string, string]> = [
  [
    'tenant.pod-security',
    'Each department namespace enforces Pod Security restricted',
  ],
  [
    'tenant.default-deny',
    'Each department namespace denies traffic by default',
  ],
  ['tenant.no-cross-namespace', 'No policy admits other namespaces'],
  ['tenant.quota-limits', 'Each department namespace has its quota and limits'],
  ['tenant.rbac', "RBAC is bound only to the hospital's cluster group"],
  ['tenant.cluster-bindings', "No cluster-wide bindings beyond the platform's"],
  ['tenant.cni', 'An enforcing CNI (Cilium or Calico) is detected'],
];

const TITLES = Object.fromEntries(TENANT_LAYER_CHECKS);
const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';
const KNOWN_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
/** An address of TEST-NET-3 standing for "anywhere on the internet". */
const INTERNET_IP = '203.0.113.10';
/** Ports the traffic probes try. */
const PROBE_PORTS = [80, 443, 8080];
/**
 * The platform in a tenant cluster: Kubernetes' own subjects, the admin group
 * Kamaji's kubeadm phases bind, kube-system's ServiceAccounts and the
 * portal's read-only checker.
 */
const TENANT_CLUSTER_PLATFORM: PlatformIdentities = {
  prefixes: ['system:', 'kubeadm:'],
  serviceAccountNamespaces: ['kube-system'],
  users: [TENANT_CHECKER_USERNAME],
};
/**
 * The platform inside a department namespace: the portal's checker only (the
 * plan binds nobody else there; Kubernetes' controllers act cluster-wide).
 */
const TENANT_NAMESPACE_PLATFORM: PlatformIdentities = {
  prefixes: [],
  serviceAccountNamespaces: [],
  users: [TENANT_CHECKER_USERNAME],
};

function check(id: string, result: Check['result'], evidence: string[]) {
  return {
    id,
    layer: 'tenant' as const,
    title: TITLES[id],
    result,
    evidence,
  };
}

/** Every tenant-layer check `unknown`, for one reason. */
export function tenantLayerUnknown(reason: string): Check[] {
  return TENANT_LAYER_CHECKS.map(([id]) => check(id, 'unknown', [reason]));
}

/** The department namespaces of the plan, from the control plane's `departments` fact. */
export function departmentNamespaces(tcp: Obj | undefined): string[] {
  const raw = tcp?.metadata.annotations?.[TENANT_ANNOTATIONS.departments];
  if (typeof raw !== 'string') return [];
  return [
    ...new Set(
      raw
        .split(',')
        .map(d => d.trim())
        .filter(Boolean)
        .map(departmentNamespaceName)
        .filter(Boolean),
    ),
  ].sort();
}

function unreadable(id: string, ...reads: Read<unknown>[]): Check | undefined {
  const errors = reads.filter(r => !r.ok) as Array<{ error: string }>;
  return errors.length
    ? check(
        id,
        'unknown',
        errors.map(e => `could not be read: ${e.error}`),
      )
    : undefined;
}

const value = <T>(r: Read<T>): T => (r as { ok: true; value: T }).value;
const inNamespace = (objects: Obj[], ns: string) =>
  objects.filter(o => o.metadata.namespace === ns);

function podSecurity(live: LiveTenantObjects): Check {
  const id = 'tenant.pod-security';
  const fail = unreadable(id, live.namespaces);
  if (fail) return fail;
  const byName = new Map(value(live.namespaces).map(n => [n.metadata.name, n]));
  const evidence: string[] = [];
  let failed = false;
  for (const ns of live.departments) {
    const level = byName.get(ns)?.metadata.labels?.[POD_SECURITY_ENFORCE];
    if (!byName.has(ns)) {
      failed = true;
      evidence.push(`${ns}: the namespace does not exist`);
    } else if (level === 'restricted') {
      evidence.push(`${ns}: ${POD_SECURITY_ENFORCE}=restricted`);
    } else {
      failed = true;
      evidence.push(
        level
          ? `${ns}: ${POD_SECURITY_ENFORCE}=${level}, not restricted`
          : `${ns}: no ${POD_SECURITY_ENFORCE} label: any pod is admitted`,
      );
    }
  }
  return check(id, failed ? 'fail' : 'pass', evidence);
}

/** Constructs of a policy this evaluator cannot interpret (named ports, unknown operators). */
function uninterpretable(policies: Obj[]): string[] {
  const problems: string[] = [];
  JSON.parse(
    JSON.stringify(policies.map(p => [p.metadata.name, p.spec ?? {}])),
    (key, v) => {
      if (key === 'port' && typeof v === 'string') {
        problems.push(`named port "${v}"`);
      }
      if (key === 'operator' && typeof v === 'string') {
        if (!KNOWN_OPERATORS.includes(v)) {
          problems.push(`selector operator "${v}"`);
        }
      }
      return v;
    },
  );
  return problems;
}

/** The evaluator over the live namespaces and policies, or why it cannot be built. */
function trafficEvaluator(
  live: LiveTenantObjects,
): { evaluator: PlanEvaluator } | { unknown: string[] } {
  const policies = inDepartments(live, value(live.networkPolicies));
  const odd = uninterpretable(policies);
  if (odd.length) {
    return {
      unknown: ['policies use constructs this check cannot interpret:', ...odd],
    };
  }
  const objects = [...value(live.namespaces), ...policies].map(object => ({
    target: 'tenant-cluster' as const,
    object,
  }));
  return { evaluator: new PlanEvaluator(objects) };
}

function inDepartments(live: LiveTenantObjects, objects: Obj[]) {
  return objects.filter(o => live.departments.includes(o.metadata.namespace!));
}

const pod = (namespace: string): TrafficEndpoint => ({
  cluster: 'tenant-cluster',
  namespace,
  podLabels: { app: 'isolation-probe' },
});
const STRANGER: TrafficEndpoint = {
  cluster: 'tenant-cluster',
  namespace: 'isolation-probe',
  namespaceLabels: { 'kubernetes.io/metadata.name': 'isolation-probe' },
  podLabels: { app: 'probe' },
};

function admittedOn(
  evaluator: PlanEvaluator,
  from: TrafficEndpoint,
  to: TrafficEndpoint,
): number | undefined {
  return PROBE_PORTS.find(port =>
    evaluator.isTrafficAdmitted({ from, to, port }),
  );
}

function defaultDeny(live: LiveTenantObjects): Check {
  const id = 'tenant.default-deny';
  const fail = unreadable(id, live.namespaces, live.networkPolicies);
  if (fail) return fail;
  const built = trafficEvaluator(live);
  if ('unknown' in built) return check(id, 'unknown', built.unknown);
  const evidence: string[] = [];
  let failed = false;
  for (const ns of live.departments) {
    if (inNamespace(value(live.networkPolicies), ns).length === 0) {
      failed = true;
      evidence.push(`${ns}: no NetworkPolicy: every connection is admitted`);
      continue;
    }
    const ingress = admittedOn(built.evaluator, STRANGER, pod(ns));
    const egress = admittedOn(built.evaluator, pod(ns), {
      cluster: 'tenant-cluster',
      ip: INTERNET_IP,
    });
    failed ||= ingress !== undefined || egress !== undefined;
    evidence.push(
      `${ns}: ingress from an unrelated namespace ${
        ingress === undefined ? 'denied' : `ADMITTED (port ${ingress})`
      }, egress to the internet ${
        egress === undefined ? 'denied' : `ADMITTED (port ${egress})`
      }`,
    );
  }
  return check(id, failed ? 'fail' : 'pass', evidence);
}

function noCrossNamespace(live: LiveTenantObjects): Check {
  const id = 'tenant.no-cross-namespace';
  const fail = unreadable(id, live.namespaces, live.networkPolicies);
  if (fail) return fail;
  const built = trafficEvaluator(live);
  if ('unknown' in built) return check(id, 'unknown', built.unknown);
  const evidence: string[] = [];
  let failed = false;
  for (const ns of live.departments) {
    const others = [
      ...live.departments.filter(d => d !== ns).map(pod),
      STRANGER,
    ];
    const admitted = others.flatMap(other => {
      const port =
        admittedOn(built.evaluator, other, pod(ns)) ??
        admittedOn(built.evaluator, pod(ns), other);
      return port === undefined ? [] : [`${other.namespace} (port ${port})`];
    });
    failed ||= admitted.length > 0;
    evidence.push(
      admitted.length
        ? `${ns}: traffic with other namespaces ADMITTED: ${admitted.join(
            ', ',
          )}`
        : `${ns}: traffic with ${others.length} other namespace(s) denied`,
    );
  }
  return check(id, failed ? 'fail' : 'pass', evidence);
}

function quotaLimits(live: LiveTenantObjects): Check {
  const id = 'tenant.quota-limits';
  const fail = unreadable(id, live.resourceQuotas, live.limitRanges);
  if (fail) return fail;
  const evidence: string[] = [];
  let failed = false;
  for (const ns of live.departments) {
    const quotas = inNamespace(value(live.resourceQuotas), ns);
    const hard = Object.assign({}, ...quotas.map(q => q.spec?.hard ?? {}));
    const unbounded = ['limits.cpu', 'limits.memory', 'pods'].filter(
      k => hard[k] === undefined,
    );
    const container = inNamespace(value(live.limitRanges), ns)
      .flatMap(lr => lr.spec?.limits ?? [])
      .some((l: any) => l.type === 'Container' && l.max);
    const problems = [
      ...(quotas.length === 0
        ? ['no ResourceQuota']
        : unbounded.map(k => `${k} not limited`)),
      ...(container ? [] : ['no Container LimitRange with a max']),
    ];
    failed ||= problems.length > 0;
    evidence.push(
      problems.length
        ? `${ns}: ${problems.join(', ')}`
        : `${ns}: ResourceQuota and LimitRange present`,
    );
  }
  return check(id, failed ? 'fail' : 'pass', evidence);
}

function rbac(live: LiveTenantObjects): Check {
  const id = 'tenant.rbac';
  const fail = unreadable(id, live.roleBindings);
  if (fail) return fail;
  if ('unknown' in live.expectedGroup) {
    return check(id, 'unknown', [
      `the hospital's cluster group is not known: ${live.expectedGroup.unknown}`,
    ]);
  }
  const expected = live.expectedGroup.name;
  const evidence: string[] = [];
  let failed = false;
  const bindings = inDepartments(live, value(live.roleBindings));
  for (const rb of bindings) {
    const where = `${rb.metadata.namespace}: RoleBinding ${rb.metadata.name}`;
    for (const s of rb.subjects ?? []) {
      if (s.kind === 'Group' && s.name === expected) {
        // the hospital's group, on the Role the plan gives it and no other
        const role = rb.roleRef ?? {};
        if (role.kind !== 'Role' || role.name !== DEPARTMENT_ROLE_NAME) {
          failed = true;
          evidence.push(
            `${where} gives the hospital's cluster group ${describeRole(
              role,
            )} instead of the Role ${DEPARTMENT_ROLE_NAME}`,
          );
        }
        continue;
      }
      if (
        isPlatformSubject(
          s,
          rb.roleRef,
          TENANT_NAMESPACE_PLATFORM,
          rb.metadata.namespace,
        )
      ) {
        continue;
      }
      failed = true;
      evidence.push(
        `${where} grants ${describeSubject(s, {
          bindingNamespace: rb.metadata.namespace,
          nameNamespaces: true,
        })}, not the hospital's cluster group ${expected}`,
      );
    }
  }
  if (failed) return check(id, 'fail', evidence);
  return check(
    id,
    'pass',
    live.departments.map(ns => {
      const n = bindings.filter(rb => rb.metadata.namespace === ns).length;
      return n
        ? `${ns}: ${n} RoleBinding(s), only to ${expected}`
        : `${ns}: no RoleBinding: nobody is granted access`;
    }),
  );
}

function clusterBindings(live: LiveTenantObjects): Check {
  const id = 'tenant.cluster-bindings';
  const fail = unreadable(id, live.clusterRoleBindings);
  if (fail) return fail;
  const evidence: string[] = [];
  const all = value(live.clusterRoleBindings);
  for (const crb of all) {
    for (const s of crb.subjects ?? []) {
      if (!isPlatformSubject(s, crb.roleRef, TENANT_CLUSTER_PLATFORM)) {
        evidence.push(
          `ClusterRoleBinding ${crb.metadata.name} grants ${describeSubject(s, {
            nameNamespaces: true,
          })} ${describeRole(crb.roleRef)} cluster-wide`,
        );
      }
    }
  }
  return evidence.length
    ? check(id, 'fail', evidence)
    : check(id, 'pass', [
        `${all.length} ClusterRoleBinding(s), all to the platform (system: and kubeadm: subjects, kube-system, the portal's checker; everyone only on Kubernetes' discovery roles)`,
      ]);
}

const CNI_DAEMONSETS: Record<string, string> = {
  cilium: 'Cilium',
  'calico-node': 'Calico',
};
const CNI_CRD_GROUPS: Record<string, string> = {
  'cilium.io': 'Cilium',
  'crd.projectcalico.org': 'Calico',
  'projectcalico.org': 'Calico',
};

function cni(live: LiveTenantObjects): Check {
  const id = 'tenant.cni';
  const fail = unreadable(id, live.daemonSets, live.crds);
  if (fail) return fail;
  const evidence: string[] = [];
  for (const ds of value(live.daemonSets)) {
    const cniName = CNI_DAEMONSETS[ds.metadata.name];
    if (!cniName) continue;
    const ready = Number(ds.status?.numberReady ?? 0);
    const desired = Number(ds.status?.desiredNumberScheduled ?? 0);
    evidence.push(
      `${cniName}: DaemonSet ${ds.metadata.namespace}/${ds.metadata.name}, ${ready} of ${desired} ready`,
    );
  }
  const crdGroups = new Set(
    value(live.crds)
      .map(c => CNI_CRD_GROUPS[c.spec?.group])
      .filter(Boolean),
  );
  for (const name of crdGroups) evidence.push(`${name}: CRDs installed`);
  const running = value(live.daemonSets).some(
    ds =>
      CNI_DAEMONSETS[ds.metadata.name] &&
      Number(ds.status?.numberReady ?? 0) > 0,
  );
  if (running) return check(id, 'pass', evidence);
  return check(id, 'unknown', [
    ...evidence,
    'no running Cilium or Calico DaemonSet: NetworkPolicies may not be enforced',
  ]);
}

/** The tenant-layer checks over a tenant cluster's live objects. Pure. */
export function evaluateTenantLayer(live: LiveTenantObjects): Check[] {
  if (live.departments.length === 0) {
    return tenantLayerUnknown(
      `the control plane has no ${TENANT_ANNOTATIONS.departments} fact: the department namespaces are unknown`,
    );
  }
  const fns: Record<string, (l: LiveTenantObjects) => Check> = {
    'tenant.pod-security': podSecurity,
    'tenant.default-deny': defaultDeny,
    'tenant.no-cross-namespace': noCrossNamespace,
    'tenant.quota-limits': quotaLimits,
    'tenant.rbac': rbac,
    'tenant.cluster-bindings': clusterBindings,
    'tenant.cni': cni,
  };
  return TENANT_LAYER_CHECKS.map(([id]) => {
    try {
      return fns[id](live);
    } catch (error) {
      // what the evaluator cannot interpret is unknown, never pass
      return check(id, 'unknown', [
        `could not be evaluated: ${(error as Error).message}`,
      ]);
    }
  });
}
