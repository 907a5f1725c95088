import {
  IsolationCheck,
  IsolationScore,
  parseQuantity,
  QuotaUsage,
  TENANT_LABEL,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  KubernetesObject,
  PlanEvaluator,
  TrafficEndpoint,
} from '@prontuario/plugin-hospital-tenants-node';
import {
  evaluateTenantLayer,
  LiveTenantObjects,
  tenantLayerUnknown,
} from './evaluateTenantLayer';
import {
  describeRole,
  describeSubject,
  isPlatformSubject,
  PlatformIdentities,
} from './subjects';

export { TENANT_LAYER_CHECKS } from './evaluateTenantLayer';

/** One live read: its objects, or why they could not be read. */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

type Obj = KubernetesObject & Record<string, any>;

/** The live objects the management-layer checks look at. */
export interface LiveManagementObjects {
  tenantId: string;
  namespaceName: string;
  namespace: Read<Obj | undefined>;
  tcp: Read<Obj | undefined>;
  networkPolicies: Read<Obj[]>;
  resourceQuotas: Read<Obj[]>;
  limitRanges: Read<Obj[]>;
  roleBindings: Read<Obj[]>;
  /** every ClusterRoleBinding of the management cluster (they grant access into every namespace) */
  clusterRoleBindings: Read<Obj[]>;
  /** every TenantControlPlane of the management cluster */
  allTcps: Read<Obj[]>;
  dataStores: Read<Obj[]>;
  /**
   * The tenant layer: the live objects of the tenant's own cluster, or why
   * it cannot be read (every tenant-layer check is then `unknown`).
   */
  tenant?: LiveTenantObjects | { unavailable: string };
}

/** Where the checks' expectations come from (the plan and the platform). */
export interface IsolationExpectations {
  /** NetworkPolicies the plan always renders in the tenant namespace */
  requiredNetworkPolicies: string[];
  /** NetworkPolicies the plan renders under some configuration */
  optionalNetworkPolicies: string[];
  /** namespaces whose ServiceAccounts may be bound in the tenant namespace (the portal's, Kamaji's) */
  platformServiceAccountNamespaces: string[];
  /**
   * namespaces whose ServiceAccounts may also be bound cluster-wide (the
   * platform's monitoring, the cloud provider's agents); kube-system and the
   * namespaces above always may
   */
  platformClusterServiceAccountNamespaces: string[];
}

/** What the plan renders in the management namespace (plugins/hospital-tenants-node plan/managementLayer.ts). */
export const DEFAULT_EXPECTATIONS: IsolationExpectations = {
  requiredNetworkPolicies: [
    'default-deny-all',
    'allow-control-plane-api',
    'allow-monitoring-scrape',
    'allow-datastore-egress',
    'allow-dns-egress',
  ],
  optionalNetworkPolicies: ['allow-oidc-issuer-egress'],
  platformServiceAccountNamespaces: ['backstage', 'kamaji-system'],
  platformClusterServiceAccountNamespaces: ['monitoring'],
};

const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';
const PSS_LEVELS = ['privileged', 'baseline', 'restricted'];
/** Kamaji phases on the way to Ready: neither a pass nor a failure yet. */
const TRANSITIONAL_PHASES = [
  'Provisioning',
  'Upgrading',
  'Migrating',
  'CertificateAuthorityRotating',
];
const KNOWN_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
/** An address of TEST-NET-3 standing for "anywhere on the internet". */
const INTERNET_IP = '203.0.113.10';

type Check = IsolationCheck;

function check(
  id: string,
  title: string,
  result: Check['result'],
  evidence: string[],
): Check {
  return { id, layer: 'management', title, result, evidence };
}

function unreadable(id: string, title: string, ...reads: Read<unknown>[]) {
  const errors = reads.filter(r => !r.ok) as Array<{ error: string }>;
  return errors.length
    ? check(
        id,
        title,
        'unknown',
        errors.map(e => `could not be read: ${e.error}`),
      )
    : undefined;
}

function podSecurity(live: LiveManagementObjects): Check {
  const id = 'management.pod-security';
  const title = 'Namespace enforces Pod Security baseline or stricter';
  const fail = unreadable(id, title, live.namespace);
  if (fail || !live.namespace.ok) return fail!;
  const ns = live.namespace.value;
  if (!ns) {
    return check(id, title, 'fail', [
      `namespace ${live.namespaceName} does not exist`,
    ]);
  }
  const level = ns.metadata.labels?.[POD_SECURITY_ENFORCE];
  if (!level) {
    return check(id, title, 'fail', [
      `namespace ${live.namespaceName} has no ${POD_SECURITY_ENFORCE} label: any pod is admitted`,
    ]);
  }
  if (!PSS_LEVELS.includes(level)) {
    return check(id, title, 'unknown', [
      `${POD_SECURITY_ENFORCE}=${level} is not a Pod Security level`,
    ]);
  }
  return level === 'privileged'
    ? check(id, title, 'fail', [`${POD_SECURITY_ENFORCE}=privileged`])
    : check(id, title, 'pass', [`${POD_SECURITY_ENFORCE}=${level}`]);
}

/** Constructs of a policy this evaluator cannot interpret (named ports, unknown operators). */
function uninterpretable(policies: Obj[]): string[] {
  const problems: string[] = [];
  for (const p of policies) {
    const text = JSON.stringify(p.spec ?? {});
    const parsed = JSON.parse(text, (key, value) => {
      if (key === 'port' && typeof value === 'string') {
        problems.push(`${p.metadata.name}: named port "${value}"`);
      }
      if (
        key === 'operator' &&
        typeof value === 'string' &&
        !KNOWN_OPERATORS.includes(value)
      ) {
        problems.push(`${p.metadata.name}: selector operator "${value}"`);
      }
      return value;
    });
    void parsed;
  }
  return problems;
}

function podLabels(live: LiveManagementObjects): Record<string, string> {
  return { 'kamaji.clastix.io/name': live.tenantId };
}

function defaultDeny(live: LiveManagementObjects): Check {
  const id = 'management.default-deny';
  const title = 'Network traffic is denied by default';
  const fail = unreadable(id, title, live.networkPolicies, live.namespace);
  if (fail || !live.networkPolicies.ok || !live.namespace.ok) return fail!;
  const policies = live.networkPolicies.value;
  if (policies.length === 0) {
    return check(id, title, 'fail', [
      `no NetworkPolicy in ${live.namespaceName}: every connection is admitted`,
    ]);
  }
  const odd = uninterpretable(policies);
  if (odd.length) {
    return check(id, title, 'unknown', [
      'policies use constructs this check cannot interpret:',
      ...odd,
    ]);
  }
  const objects = [
    ...(live.namespace.value ? [live.namespace.value] : []),
    ...policies,
  ].map(object => ({ target: 'management-cluster' as const, object }));
  const evaluator = new PlanEvaluator(objects);
  const controlPlane: TrafficEndpoint = {
    cluster: 'management-cluster',
    namespace: live.namespaceName,
    podLabels: podLabels(live),
  };
  const stranger: TrafficEndpoint = {
    cluster: 'management-cluster',
    namespace: 'isolation-probe',
    namespaceLabels: {},
    podLabels: { app: 'probe' },
  };
  const otherTenant: TrafficEndpoint = {
    cluster: 'management-cluster',
    namespace: 'tenant-isolation-probe',
    namespaceLabels: { [TENANT_LABEL]: 'isolation-probe' },
    podLabels: { 'kamaji.clastix.io/name': 'isolation-probe' },
  };
  const probes: Array<[string, boolean]> = [
    [
      'ingress from an unrelated namespace to the API server (6443)',
      evaluator.isTrafficAdmitted({
        from: stranger,
        to: controlPlane,
        port: 6443,
      }),
    ],
    [
      "ingress from another tenant's namespace to the API server (6443)",
      evaluator.isTrafficAdmitted({
        from: otherTenant,
        to: controlPlane,
        port: 6443,
      }),
    ],
    [
      'ingress from an unrelated namespace to konnectivity (8132)',
      evaluator.isTrafficAdmitted({
        from: stranger,
        to: controlPlane,
        port: 8132,
      }),
    ],
    [
      'egress from the control plane to the internet (443)',
      evaluator.isTrafficAdmitted({
        from: controlPlane,
        to: { cluster: 'management-cluster', ip: INTERNET_IP },
        port: 443,
      }),
    ],
    [
      "egress from the control plane to another tenant's namespace (6443)",
      evaluator.isTrafficAdmitted({
        from: controlPlane,
        to: otherTenant,
        port: 6443,
      }),
    ],
  ];
  const admitted = probes.filter(([, ok]) => ok);
  return check(
    id,
    title,
    admitted.length ? 'fail' : 'pass',
    probes.map(([what, ok]) => `${what}: ${ok ? 'ADMITTED' : 'denied'}`),
  );
}

function expectedPolicies(
  live: LiveManagementObjects,
  expect: IsolationExpectations,
): Check {
  const id = 'management.network-policies';
  const title = 'Only the expected NetworkPolicies';
  const fail = unreadable(id, title, live.networkPolicies);
  if (fail || !live.networkPolicies.ok) return fail!;
  const names = live.networkPolicies.value.map(p => p.metadata.name);
  const allowed = new Set([
    ...expect.requiredNetworkPolicies,
    ...expect.optionalNetworkPolicies,
  ]);
  const missing = expect.requiredNetworkPolicies.filter(
    n => !names.includes(n),
  );
  const unexpected = names.filter(n => !allowed.has(n));
  const unlabelled = live.networkPolicies.value
    .filter(p => p.metadata.labels?.[TENANT_LABEL] !== live.tenantId)
    .map(p => p.metadata.name);
  const evidence = [
    ...missing.map(n => `missing: ${n}`),
    ...unexpected.map(n => `not in the plan: ${n}`),
    ...unlabelled.map(
      n => `${n} lacks the label ${TENANT_LABEL}=${live.tenantId}`,
    ),
  ];
  return evidence.length
    ? check(id, title, 'fail', evidence)
    : check(id, title, 'pass', [
        `${names.length} policies, as planned: ${names.sort().join(', ')}`,
      ]);
}

function quotaUsage(quotas: Obj[]): QuotaUsage[] {
  const usage: QuotaUsage[] = [];
  for (const q of quotas) {
    const hard: Record<string, string> = q.status?.hard ?? q.spec?.hard ?? {};
    const used: Record<string, string> = q.status?.used ?? {};
    for (const resource of Object.keys(hard).sort()) {
      let percent: number | null = null;
      try {
        const h = parseQuantity(String(hard[resource]));
        const u = parseQuantity(String(used[resource] ?? '0'));
        percent = h > 0 ? Math.round((u / h) * 1000) / 10 : null;
      } catch {
        percent = null;
      }
      usage.push({
        resource,
        hard: String(hard[resource]),
        used: String(used[resource] ?? '0'),
        percent,
      });
    }
  }
  return usage;
}

function evaluatorWithTcp(
  live: LiveManagementObjects,
): PlanEvaluator | undefined {
  if (!live.tcp.ok || !live.tcp.value) return undefined;
  if (!live.limitRanges.ok || !live.resourceQuotas.ok) return undefined;
  const drivers: Record<string, string> = {};
  if (live.dataStores.ok) {
    for (const ds of live.dataStores.value) {
      drivers[ds.metadata.name] = String(
        ds.spec?.driver ?? 'etcd',
      ).toLowerCase();
    }
  }
  const objects = [
    live.tcp.value,
    ...live.limitRanges.value,
    ...live.resourceQuotas.value,
  ].map(object => ({ target: 'management-cluster' as const, object }));
  return new PlanEvaluator(objects, { dataStoreDrivers: drivers });
}

const QUOTA_KEYS = [
  'requests.cpu',
  'limits.cpu',
  'requests.memory',
  'limits.memory',
  'pods',
];

function resourceQuota(live: LiveManagementObjects): Check {
  const id = 'management.resource-quota';
  const title = 'ResourceQuota bounds the namespace and fits the control plane';
  const fail = unreadable(
    id,
    title,
    live.resourceQuotas,
    live.tcp,
    live.limitRanges,
  );
  if (fail || !live.resourceQuotas.ok) return fail!;
  const quotas = live.resourceQuotas.value;
  if (quotas.length === 0) {
    return check(id, title, 'fail', [
      `no ResourceQuota in ${live.namespaceName}`,
    ]);
  }
  const hard = Object.assign({}, ...quotas.map(q => q.spec?.hard ?? {}));
  const unbounded = QUOTA_KEYS.filter(k => hard[k] === undefined);
  const evidence = quotaUsage(quotas).map(
    u =>
      `${u.resource}: ${u.used} of ${u.hard}${
        u.percent === null ? '' : ` (${u.percent} %)`
      }`,
  );
  if (unbounded.length) {
    return check(id, title, 'fail', [
      `not limited: ${unbounded.join(', ')}`,
      ...evidence,
    ]);
  }
  const evaluator = evaluatorWithTcp(live);
  if (!evaluator) {
    return check(id, title, 'unknown', [
      'the TenantControlPlane does not exist: cannot size the surge',
      ...evidence,
    ]);
  }
  const violations = evaluator.quotaSurgeViolations(live.tenantId);
  return violations.length
    ? check(id, title, 'fail', [...violations, ...evidence])
    : check(id, title, 'pass', [
        'fits a rolling update at full surge',
        ...evidence,
      ]);
}

function limitRange(live: LiveManagementObjects): Check {
  const id = 'management.limit-range';
  const title = 'LimitRange bounds every container and fits the control plane';
  const fail = unreadable(
    id,
    title,
    live.limitRanges,
    live.tcp,
    live.resourceQuotas,
  );
  if (fail || !live.limitRanges.ok) return fail!;
  const container = live.limitRanges.value
    .flatMap(lr => lr.spec?.limits ?? [])
    .find((l: any) => l.type === 'Container');
  if (!container) {
    return check(id, title, 'fail', [
      `no Container LimitRange in ${live.namespaceName}`,
    ]);
  }
  const evaluator = evaluatorWithTcp(live);
  if (!evaluator) {
    return check(id, title, 'unknown', [
      'the TenantControlPlane does not exist: nothing to fit',
    ]);
  }
  const cp = evaluator.controlPlaneContainers(live.tenantId);
  const violations = [...cp.containers, ...cp.initContainers].flatMap(c =>
    evaluator.limitRangeViolations('management-cluster', live.namespaceName, c),
  );
  return violations.length
    ? check(id, title, 'fail', violations)
    : check(id, title, 'pass', [
        `${
          cp.containers.length + cp.initContainers.length
        } control-plane containers fit`,
      ]);
}

function controlPlaneReady(live: LiveManagementObjects): Check {
  const id = 'management.control-plane-ready';
  const title = 'Control plane is Ready';
  const fail = unreadable(id, title, live.tcp);
  if (fail || !live.tcp.ok) return fail!;
  const tcp = live.tcp.value;
  if (!tcp)
    return check(id, title, 'fail', ['the TenantControlPlane does not exist']);
  const phase = tcp.status?.kubernetesResources?.version?.status;
  if (!phase)
    return check(id, title, 'unknown', [
      'Kamaji has not reported a status yet',
    ]);
  if (phase === 'Sleeping') {
    return check(id, title, 'unknown', [
      'the control plane is Sleeping (scaled to zero)',
    ]);
  }
  const observed = tcp.status?.observedGeneration;
  const generation = (tcp.metadata as Record<string, unknown>).generation;
  if (phase === 'Ready') {
    if (
      typeof generation === 'number' &&
      typeof observed === 'number' &&
      observed < generation
    ) {
      return check(id, title, 'unknown', [
        `Ready, but Kamaji has not observed generation ${generation} yet (observed ${observed})`,
      ]);
    }
    return check(id, title, 'pass', [
      `phase Ready, version ${
        tcp.status?.kubernetesResources?.version?.version ?? 'unknown'
      }`,
    ]);
  }
  if (TRANSITIONAL_PHASES.includes(phase)) {
    return check(id, title, 'unknown', [`phase ${phase}: not Ready yet`]);
  }
  const conditions = (
    tcp.status?.kubernetesResources?.deployment?.conditions ?? []
  )
    .filter((c: any) => c.status !== 'True' && c.message)
    .map((c: any) => `${c.type}: ${c.message}`);
  return check(id, title, 'fail', [`phase ${phase}`, ...conditions]);
}

function dataStoreSchema(live: LiveManagementObjects): Check {
  const id = 'management.datastore-schema';
  const title = 'DataStore schema used by no other tenant';
  const fail = unreadable(id, title, live.tcp, live.allTcps);
  if (fail || !live.tcp.ok || !live.allTcps.ok) return fail!;
  const tcp = live.tcp.value;
  if (!tcp)
    return check(id, title, 'fail', ['the TenantControlPlane does not exist']);
  const store = (t: Obj) =>
    t.status?.storage?.dataStoreName ?? t.spec?.dataStore;
  const schema = (t: Obj) =>
    t.status?.storage?.setup?.schema ?? t.spec?.dataStoreSchema;
  const mine = { store: store(tcp), schema: schema(tcp) };
  if (!mine.store || !mine.schema) {
    return check(id, title, 'unknown', [
      'Kamaji has not reported the DataStore and schema yet',
    ]);
  }
  const sharing = live.allTcps.value.filter(
    t =>
      !(
        t.metadata.name === tcp.metadata.name &&
        t.metadata.namespace === tcp.metadata.namespace
      ) &&
      store(t) === mine.store &&
      schema(t) === mine.schema,
  );
  // never name the other tenants: they may belong to another hospital
  return sharing.length
    ? check(id, title, 'fail', [
        `schema ${mine.schema} on DataStore ${mine.store} is also used by ${sharing.length} other control plane(s)`,
      ])
    : check(id, title, 'pass', [
        `schema ${mine.schema} on DataStore ${mine.store}, used by this tenant only`,
      ]);
}

/** The platform on the management cluster: Kubernetes' own subjects and the platform's ServiceAccounts. */
function managementPlatform(expect: IsolationExpectations): PlatformIdentities {
  return {
    prefixes: ['system:'],
    serviceAccountNamespaces: [
      'kube-system',
      ...expect.platformServiceAccountNamespaces,
      ...expect.platformClusterServiceAccountNamespaces,
    ],
    users: [],
  };
}

function roleBindings(
  live: LiveManagementObjects,
  expect: IsolationExpectations,
): Check {
  const id = 'management.rbac';
  const title = 'No binding grants anyone else access to the namespace';
  // a cluster-wide binding that cannot be read may grant anything: unknown, never pass
  const fail = unreadable(
    id,
    title,
    live.roleBindings,
    live.clusterRoleBindings,
  );
  if (fail || !live.roleBindings.ok || !live.clusterRoleBindings.ok) {
    return fail!;
  }
  // inside the namespace: its own ServiceAccounts and the platform's only
  const inNamespace = new Set([
    live.namespaceName,
    ...expect.platformServiceAccountNamespaces,
  ]);
  const evidence: string[] = [];
  for (const rb of live.roleBindings.value) {
    for (const s of rb.subjects ?? []) {
      const ok =
        s.kind === 'ServiceAccount' &&
        inNamespace.has(s.namespace ?? live.namespaceName);
      // subjects outside the platform are not named: they may be another hospital's
      if (!ok) {
        evidence.push(
          `RoleBinding ${rb.metadata.name} grants ${
            s.kind === 'ServiceAccount'
              ? 'a ServiceAccount of another namespace'
              : `a ${s.kind}`
          } outside the platform`,
        );
      }
    }
  }
  // cluster-wide: Kubernetes' own identities and the platform's (deploy/rbac)
  const platform = managementPlatform(expect);
  const clusterWide = live.clusterRoleBindings.value;
  for (const crb of clusterWide) {
    for (const s of crb.subjects ?? []) {
      if (!isPlatformSubject(s, crb.roleRef, platform)) {
        // the binding's name is not given: it may name another tenant
        evidence.push(
          `a ClusterRoleBinding grants ${describeSubject(s, {
            nameNamespaces: false,
          })} ${describeRole(
            crb.roleRef,
          )} in every namespace, this one included`,
        );
      }
    }
  }
  return evidence.length
    ? check(id, title, 'fail', evidence)
    : check(id, title, 'pass', [
        `${live.roleBindings.value.length} RoleBinding(s), all to the platform's service accounts`,
        `${
          clusterWide.length
        } ClusterRoleBinding(s), all to the platform (system: identities, ServiceAccounts of ${platform.serviceAccountNamespaces.join(
          ', ',
        )})`,
      ]);
}

function tenantLayer(live: LiveManagementObjects): Check[] {
  const sleeping =
    live.tcp.ok &&
    live.tcp.value?.status?.kubernetesResources?.version?.status === 'Sleeping';
  if (sleeping) {
    return tenantLayerUnknown(
      'the control plane is Sleeping: the tenant cluster cannot be read',
    );
  }
  if (!live.tenant) {
    return tenantLayerUnknown(
      "not checked: the portal has no read-only identity inside the tenant's cluster",
    );
  }
  if ('unavailable' in live.tenant) {
    return tenantLayerUnknown(live.tenant.unavailable);
  }
  return evaluateTenantLayer(live.tenant);
}

/** The score: passed / total, an `unknown` never counting as passed. */
export function scoreOf(checks: Check[]): IsolationScore {
  const passed = checks.filter(c => c.result === 'pass').length;
  const failed = checks.filter(c => c.result === 'fail').length;
  const unknown = checks.length - passed - failed;
  return {
    passed,
    failed,
    unknown,
    total: checks.length,
    percent: checks.length ? Math.floor((passed * 100) / checks.length) : 0,
  };
}

/** Every isolation check of a tenant over its live objects. Pure. */
export function evaluateIsolation(
  live: LiveManagementObjects,
  expect: IsolationExpectations = DEFAULT_EXPECTATIONS,
): { checks: Check[]; quota: QuotaUsage[]; score: IsolationScore } {
  const guard = (id: string, title: string, fn: () => Check): Check => {
    try {
      return fn();
    } catch (error) {
      // what the evaluator cannot interpret is unknown, never pass
      return check(id, title, 'unknown', [
        `could not be evaluated: ${(error as Error).message}`,
      ]);
    }
  };
  const checks = [
    guard(
      'management.pod-security',
      'Namespace enforces Pod Security baseline or stricter',
      () => podSecurity(live),
    ),
    guard(
      'management.default-deny',
      'Network traffic is denied by default',
      () => defaultDeny(live),
    ),
    guard(
      'management.network-policies',
      'Only the expected NetworkPolicies',
      () => expectedPolicies(live, expect),
    ),
    guard(
      'management.resource-quota',
      'ResourceQuota bounds the namespace and fits the control plane',
      () => resourceQuota(live),
    ),
    guard(
      'management.limit-range',
      'LimitRange bounds every container and fits the control plane',
      () => limitRange(live),
    ),
    guard('management.control-plane-ready', 'Control plane is Ready', () =>
      controlPlaneReady(live),
    ),
    guard(
      'management.datastore-schema',
      'DataStore schema used by no other tenant',
      () => dataStoreSchema(live),
    ),
    guard(
      'management.rbac',
      'No binding grants anyone else access to the namespace',
      () => roleBindings(live, expect),
    ),
    ...tenantLayer(live),
  ];
  const quota = live.resourceQuotas.ok
    ? quotaUsage(live.resourceQuotas.value)
    : [];
  return { checks, quota, score: scoreOf(checks) };
}
