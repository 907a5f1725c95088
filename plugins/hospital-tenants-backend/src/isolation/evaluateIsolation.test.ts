import {
  DEFAULT_EXPECTATIONS,
  evaluateIsolation,
  LiveManagementObjects,
  scoreOf,
} from './evaluateIsolation';

const ns = 'tenant-hospital-x';
const ok = <T>(value: T) => ({ ok: true as const, value });

function live(
  overrides: Partial<LiveManagementObjects> = {},
): LiveManagementObjects {
  return {
    tenantId: 'hospital-x',
    namespaceName: ns,
    namespace: ok({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: { 'pod-security.kubernetes.io/enforce': 'baseline' },
      },
    }),
    tcp: ok(undefined),
    networkPolicies: ok([]),
    resourceQuotas: ok([]),
    limitRanges: ok([]),
    roleBindings: ok([]),
    clusterRoleBindings: ok([]),
    allTcps: ok([]),
    dataStores: ok([]),
    ...overrides,
  };
}

const policy = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {
    name,
    namespace: ns,
    labels: { 'hospital-tenants.io/tenant': 'hospital-x' },
  },
  spec,
});

describe('evaluateIsolation', () => {
  it('says unknown, never pass, for a policy it cannot interpret', () => {
    const { checks } = evaluateIsolation(
      live({
        networkPolicies: ok([
          policy('default-deny-all', {
            podSelector: {},
            policyTypes: ['Ingress', 'Egress'],
          }),
          policy('named', {
            podSelector: {},
            policyTypes: ['Ingress'],
            ingress: [{ ports: [{ port: 'https' }] }],
          }),
        ]),
      }),
    );
    const deny = checks.find(c => c.id === 'management.default-deny')!;
    expect(deny.result).toBe('unknown');
    expect(deny.evidence).toContain('named: named port "https"');
  });

  it('passes default deny only when every probe is denied', () => {
    const { checks } = evaluateIsolation(
      live({
        networkPolicies: ok([
          policy('default-deny-all', {
            podSelector: {},
            policyTypes: ['Ingress', 'Egress'],
          }),
        ]),
      }),
    );
    expect(checks.find(c => c.id === 'management.default-deny')!.result).toBe(
      'pass',
    );
  });

  it('makes the checks of a failed read unknown and leaves the others alone', () => {
    const { checks } = evaluateIsolation(
      live({ roleBindings: { ok: false, error: 'forbidden' } }),
    );
    expect(checks.find(c => c.id === 'management.rbac')).toMatchObject({
      result: 'unknown',
      evidence: ['could not be read: forbidden'],
    });
    expect(checks.find(c => c.id === 'management.pod-security')!.result).toBe(
      'pass',
    );
  });

  const crb = (
    name: string,
    roleRef: { kind: string; name: string },
    subjects: Array<Record<string, string>>,
  ) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  });
  /** What every cluster has, and the platform's own identities of deploy/rbac. */
  const platformBindings = () => [
    crb(
      'system:basic-user',
      { kind: 'ClusterRole', name: 'system:basic-user' },
      [{ kind: 'Group', name: 'system:authenticated' }],
    ),
    crb(
      'system:public-info-viewer',
      { kind: 'ClusterRole', name: 'system:public-info-viewer' },
      [
        { kind: 'Group', name: 'system:authenticated' },
        { kind: 'Group', name: 'system:unauthenticated' },
      ],
    ),
    crb('cluster-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [
      { kind: 'Group', name: 'system:masters' },
    ]),
    crb(
      'system:controller:namespace-controller',
      { kind: 'ClusterRole', name: 'system:controller:namespace-controller' },
      [
        {
          kind: 'ServiceAccount',
          name: 'namespace-controller',
          namespace: 'kube-system',
        },
      ],
    ),
    crb(
      'hospital-tenants-reader',
      { kind: 'ClusterRole', name: 'hospital-tenants-reader' },
      [
        {
          kind: 'ServiceAccount',
          name: 'hospital-tenants-reader',
          namespace: 'backstage',
        },
      ],
    ),
    crb(
      'hospital-tenants-provisioner',
      { kind: 'ClusterRole', name: 'hospital-tenants-provisioner' },
      [
        {
          kind: 'ServiceAccount',
          name: 'hospital-tenants-provisioner',
          namespace: 'backstage',
        },
      ],
    ),
    crb(
      'kamaji-manager',
      { kind: 'ClusterRole', name: 'kamaji-manager-role' },
      [
        {
          kind: 'ServiceAccount',
          name: 'kamaji-controller-manager',
          namespace: 'kamaji-system',
        },
      ],
    ),
  ];

  describe('management.rbac over RoleBindings and ClusterRoleBindings', () => {
    const rbac = (overrides: Partial<LiveManagementObjects>) =>
      evaluateIsolation(live(overrides)).checks.find(
        c => c.id === 'management.rbac',
      )!;

    it("passes the cluster's own and the platform's cluster-wide bindings", () => {
      expect(
        rbac({ clusterRoleBindings: ok(platformBindings()) }),
      ).toMatchObject({
        result: 'pass',
        evidence: [
          "0 RoleBinding(s), all to the platform's service accounts",
          '7 ClusterRoleBinding(s), all to the platform (system: identities, ServiceAccounts of kube-system, backstage, kamaji-system, monitoring)',
        ],
      });
    });

    it('fails a cluster-wide grant to anyone else, naming neither the binding nor a hospital subject', () => {
      const result = rbac({
        clusterRoleBindings: ok([
          ...platformBindings(),
          crb('sao-joao-oncall', { kind: 'ClusterRole', name: 'edit' }, [
            { kind: 'Group', name: 'oidc:hospital:hospital-sao-joao' },
            { kind: 'User', name: 'joao.saojoao@sao-joao.example' },
            {
              kind: 'ServiceAccount',
              name: 'ci',
              namespace: 'tenant-hospital-y',
            },
          ]),
          crb('everyone-views', { kind: 'ClusterRole', name: 'view' }, [
            { kind: 'Group', name: 'system:authenticated' },
          ]),
          crb('all-sas', { kind: 'ClusterRole', name: 'sa-reader' }, [
            { kind: 'Group', name: 'system:serviceaccounts:tenant-hospital-y' },
            {
              kind: 'User',
              name: 'system:serviceaccount:tenant-hospital-y:ci',
            },
          ]),
        ]),
      });
      expect(result.result).toBe('fail');
      expect(result.evidence).toEqual([
        'a ClusterRoleBinding grants a Group ClusterRole edit in every namespace, this one included',
        'a ClusterRoleBinding grants a User ClusterRole edit in every namespace, this one included',
        'a ClusterRoleBinding grants a ServiceAccount of another namespace ClusterRole edit in every namespace, this one included',
        'a ClusterRoleBinding grants the Group system:authenticated ClusterRole view in every namespace, this one included',
        'a ClusterRoleBinding grants the ServiceAccounts of another namespace a custom ClusterRole in every namespace, this one included',
        'a ClusterRoleBinding grants a ServiceAccount of another namespace a custom ClusterRole in every namespace, this one included',
      ]);
      const text = result.evidence.join('\n');
      expect(text).not.toMatch(/sao-joao|oncall|sa-reader|hospital-y/);
    });

    it("takes cluster-wide ServiceAccounts of the configured platform namespaces as the platform's", () => {
      const agent = crb(
        'gmp-collector',
        { kind: 'ClusterRole', name: 'gmp-system:collector' },
        [
          {
            kind: 'ServiceAccount',
            name: 'collector',
            namespace: 'gmp-system',
          },
        ],
      );
      const overrides = { clusterRoleBindings: ok([agent]) };
      expect(rbac(overrides).result).toBe('fail');
      const { checks } = evaluateIsolation(live(overrides), {
        ...DEFAULT_EXPECTATIONS,
        platformClusterServiceAccountNamespaces: ['monitoring', 'gmp-system'],
      });
      expect(checks.find(c => c.id === 'management.rbac')!.result).toBe('pass');
      // cluster-wide only: inside the tenant namespace they are still someone else
      const inside = evaluateIsolation(
        live({
          roleBindings: ok([
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'RoleBinding',
              metadata: { name: 'collector', namespace: ns },
              subjects: agent.subjects,
            },
          ]),
        }),
        {
          ...DEFAULT_EXPECTATIONS,
          platformClusterServiceAccountNamespaces: ['gmp-system'],
        },
      );
      expect(inside.checks.find(c => c.id === 'management.rbac')!.result).toBe(
        'fail',
      );
    });

    it('is unknown, never pass, when the ClusterRoleBindings cannot be read', () => {
      expect(
        rbac({
          clusterRoleBindings: {
            ok: false,
            error:
              'clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:backstage:hospital-tenants-reader" cannot list resource "clusterrolebindings"',
          },
        }),
      ).toMatchObject({
        result: 'unknown',
        evidence: [
          expect.stringMatching(
            /^could not be read: clusterrolebindings.* is forbidden/,
          ),
        ],
      });
    });
  });

  it('scores unknown as not passed', () => {
    expect(
      scoreOf([
        {
          id: 'a',
          layer: 'management',
          title: 'a',
          result: 'pass',
          evidence: [],
        },
        {
          id: 'b',
          layer: 'management',
          title: 'b',
          result: 'unknown',
          evidence: [],
        },
        { id: 'c', layer: 'tenant', title: 'c', result: 'fail', evidence: [] },
      ]),
    ).toEqual({ passed: 1, failed: 1, unknown: 1, total: 3, percent: 33 });
  });
});
