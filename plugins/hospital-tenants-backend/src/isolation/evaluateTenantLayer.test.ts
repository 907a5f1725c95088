import { TENANT_CHECKER_USERNAME } from '@prontuario/plugin-hospital-tenants-node';
import {
  departmentNamespaces,
  evaluateTenantLayer,
  LiveTenantObjects,
} from './evaluateTenantLayer';

const ok = <T>(value: T) => ({ ok: true as const, value });
/** the hospital's cluster group as the tenant API server names it (OIDC prefix) */
const HOSPITAL_GROUP = 'oidc:hospital:hospital-x';
const meta = (name: string, namespace?: string, labels = {}) => ({
  name,
  namespace,
  labels,
});

/** One department as the plan renders it (trimmed to what the checks read). */
function reference(): LiveTenantObjects {
  const ns = 'cardiologia';
  return {
    departments: [ns],
    namespaces: ok([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: meta(ns, undefined, {
          'kubernetes.io/metadata.name': ns,
          'pod-security.kubernetes.io/enforce': 'restricted',
        }),
      },
    ]),
    networkPolicies: ok([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('default-deny-all', ns),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
    ]),
    resourceQuotas: ok([
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: meta('department-quota', ns),
        spec: {
          hard: { 'limits.cpu': '2', 'limits.memory': '4Gi', pods: '20' },
        },
      },
    ]),
    limitRanges: ok([
      {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: meta('department-limits', ns),
        spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] },
      },
    ]),
    roleBindings: ok([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta('hospital-department-members', ns),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'hospital-department-member',
        },
        subjects: [{ kind: 'Group', name: HOSPITAL_GROUP }],
      },
    ]),
    clusterRoleBindings: ok([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta('system:basic-user'),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'system:basic-user',
        },
        subjects: [{ kind: 'Group', name: 'system:authenticated' }],
      },
    ]),
    expectedGroup: { name: HOSPITAL_GROUP },
    daemonSets: ok([]),
    crds: ok([]),
  };
}

const result = (live: LiveTenantObjects, id: string) =>
  evaluateTenantLayer(live).find(c => c.id === id)!;

describe('evaluateTenantLayer', () => {
  it('passes a planned department on all but the CNI, which needs evidence', () => {
    const checks = evaluateTenantLayer(reference());
    expect(checks.map(c => [c.id, c.result])).toEqual([
      ['tenant.pod-security', 'pass'],
      ['tenant.default-deny', 'pass'],
      ['tenant.no-cross-namespace', 'pass'],
      ['tenant.quota-limits', 'pass'],
      ['tenant.rbac', 'pass'],
      ['tenant.cluster-bindings', 'pass'],
      ['tenant.cni', 'unknown'],
    ]);
  });

  it('makes only the checks of a failed read unknown', () => {
    const live = {
      ...reference(),
      networkPolicies: { ok: false as const, error: 'HTTP 500' },
    };
    expect(result(live, 'tenant.default-deny')).toMatchObject({
      result: 'unknown',
      evidence: ['could not be read: HTTP 500'],
    });
    expect(result(live, 'tenant.pod-security').result).toBe('pass');
  });

  it('is unknown on policies it cannot interpret, never pass', () => {
    const live = reference();
    (live.networkPolicies as any).value.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('named', 'cardiologia'),
      spec: {
        podSelector: {},
        ingress: [{ ports: [{ port: 'http' }] }],
      },
    });
    expect(result(live, 'tenant.default-deny')).toMatchObject({
      result: 'unknown',
      evidence: [
        'policies use constructs this check cannot interpret:',
        'named port "http"',
      ],
    });
  });

  it('fails a department whose namespace or quota is missing', () => {
    const live = { ...reference(), departments: ['cardiologia', 'uti'] };
    expect(result(live, 'tenant.pod-security')).toMatchObject({
      result: 'fail',
      evidence: expect.arrayContaining(['uti: the namespace does not exist']),
    });
    expect(result(live, 'tenant.quota-limits').evidence).toContain(
      'uti: no ResourceQuota, no Container LimitRange with a max',
    );
  });

  const roleBinding = (
    name: string,
    subjects: Array<Record<string, string>>,
    roleRef = { kind: 'Role', name: 'hospital-department-member' },
  ) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(name, 'cardiologia'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  });

  describe('tenant.rbac: bound only to the hospital cluster group', () => {
    it("passes bindings to the hospital's group as the tenant API server names it", () => {
      expect(
        result(
          { ...reference(), departments: ['cardiologia', 'uti'] },
          'tenant.rbac',
        ),
      ).toMatchObject({
        result: 'pass',
        evidence: [
          `cardiologia: 1 RoleBinding(s), only to ${HOSPITAL_GROUP}`,
          'uti: no RoleBinding: nobody is granted access',
        ],
      });
    });

    it("fails another hospital's group, without naming it", () => {
      const live = reference();
      (live.roleBindings as any).value.push(
        roleBinding('friendly-access', [
          { kind: 'Group', name: 'oidc:hospital:hospital-y' },
        ]),
      );
      const rbac = result(live, 'tenant.rbac');
      expect(rbac).toMatchObject({
        result: 'fail',
        evidence: [
          `cardiologia: RoleBinding friendly-access grants a Group, not the hospital's cluster group ${HOSPITAL_GROUP}`,
        ],
      });
      expect(rbac.evidence.join('\n')).not.toContain('hospital-y');
    });

    it('fails the cluster group without its OIDC prefix: the API server never sees that name', () => {
      const live = reference();
      (live.roleBindings as any).value[0].subjects = [
        { kind: 'Group', name: 'hospital:hospital-x' },
      ];
      expect(result(live, 'tenant.rbac').result).toBe('fail');
    });

    it('fails users, ServiceAccounts (named: they are the tenant cluster’s own) and everyone', () => {
      const live = reference();
      (live.roleBindings as any).value.push(
        roleBinding('extras', [
          { kind: 'User', name: 'someone@elsewhere.example' },
          { kind: 'ServiceAccount', name: 'spy', namespace: 'other' },
          { kind: 'ServiceAccount', name: 'builder' },
          { kind: 'Group', name: 'system:authenticated' },
          { kind: 'Group', name: 'system:serviceaccounts' },
        ]),
      );
      const rbac = result(live, 'tenant.rbac');
      expect(rbac.result).toBe('fail');
      expect(rbac.evidence).toEqual(
        [
          'a User',
          'the ServiceAccount other/spy',
          'the ServiceAccount cardiologia/builder',
          'the Group system:authenticated',
          'the Group system:serviceaccounts',
        ].map(
          who =>
            `cardiologia: RoleBinding extras grants ${who}, not the hospital's cluster group ${HOSPITAL_GROUP}`,
        ),
      );
      expect(rbac.evidence.join('\n')).not.toContain('elsewhere');
    });

    it("fails the hospital's group on another role than the plan's", () => {
      const live = reference();
      (live.roleBindings as any).value.push(
        roleBinding('admins', [{ kind: 'Group', name: HOSPITAL_GROUP }], {
          kind: 'ClusterRole',
          name: 'admin',
        }),
      );
      expect(result(live, 'tenant.rbac')).toMatchObject({
        result: 'fail',
        evidence: [
          "cardiologia: RoleBinding admins gives the hospital's cluster group ClusterRole admin instead of the Role hospital-department-member",
        ],
      });
    });

    it("lets the portal's read-only checker be bound", () => {
      const live = reference();
      (live.roleBindings as any).value.push(
        roleBinding(
          'checker',
          [{ kind: 'User', name: TENANT_CHECKER_USERNAME }],
          { kind: 'ClusterRole', name: 'hospital-tenants-isolation-reader' },
        ),
      );
      expect(result(live, 'tenant.rbac').result).toBe('pass');
    });

    it('is unknown with the reason when the expected group is not known', () => {
      const live = {
        ...reference(),
        expectedGroup: {
          unknown:
            'the owner group group:default/hospital-x has no usable hospital-tenants.io/cluster-group annotation',
        },
      };
      expect(result(live, 'tenant.rbac')).toMatchObject({
        result: 'unknown',
        evidence: [
          "the hospital's cluster group is not known: the owner group group:default/hospital-x has no usable hospital-tenants.io/cluster-group annotation",
        ],
      });
    });
  });

  it('fails cluster-wide grants to anyone but the platform, and everyone beyond discovery', () => {
    const live = reference();
    (live.clusterRoleBindings as any).value.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta('everyone-admin'),
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [
          { kind: 'Group', name: 'oidc:hospital-y' },
          { kind: 'Group', name: 'system:authenticated' },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta('checker'),
        roleRef: {
          kind: 'ClusterRole',
          name: 'hospital-tenants-isolation-reader',
        },
        subjects: [{ kind: 'User', name: TENANT_CHECKER_USERNAME }],
      },
    );
    const cluster = result(live, 'tenant.cluster-bindings');
    expect(cluster).toMatchObject({
      result: 'fail',
      evidence: [
        'ClusterRoleBinding everyone-admin grants a Group ClusterRole cluster-admin cluster-wide',
        'ClusterRoleBinding everyone-admin grants the Group system:authenticated ClusterRole cluster-admin cluster-wide',
      ],
    });
    expect(cluster.evidence.join('\n')).not.toContain('hospital-y');
  });

  it('reports CNI CRDs without a running DaemonSet as unknown, with the evidence', () => {
    const live = {
      ...reference(),
      crds: ok([
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: meta('ciliumnetworkpolicies.cilium.io'),
          spec: { group: 'cilium.io' },
        },
      ]),
    };
    expect(result(live, 'tenant.cni')).toMatchObject({
      result: 'unknown',
      evidence: [
        'Cilium: CRDs installed',
        'no running Cilium or Calico DaemonSet: NetworkPolicies may not be enforced',
      ],
    });
  });

  it('takes the departments from the control plane fact and is unknown without it', () => {
    expect(
      departmentNamespaces({
        apiVersion: 'kamaji.clastix.io/v1alpha1',
        kind: 'TenantControlPlane',
        metadata: {
          name: 'x',
          annotations: {
            'hospital-tenants.io/departments': 'UTI Neonatal,Emergência',
          },
        },
      }),
    ).toEqual(['emergencia', 'uti-neonatal']);
    const checks = evaluateTenantLayer({ ...reference(), departments: [] });
    expect(checks.every(c => c.result === 'unknown')).toBe(true);
    expect(checks[0].evidence[0]).toMatch(/departments/);
  });
});
