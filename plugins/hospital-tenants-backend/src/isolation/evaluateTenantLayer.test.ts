import {
  departmentNamespaces,
  evaluateTenantLayer,
  LiveTenantObjects,
} from './evaluateTenantLayer';

const ok = <T>(value: T) => ({ ok: true as const, value });
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
        subjects: [{ kind: 'Group', name: 'oidc:hospital-x-clinicos' }],
      },
    ]),
    clusterRoleBindings: ok([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta('system:basic-user'),
        subjects: [{ kind: 'Group', name: 'system:authenticated' }],
      },
    ]),
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

  it('fails a ServiceAccount of another namespace and a cluster-wide grant, naming neither subject', () => {
    const live = reference();
    (live.roleBindings as any).value[0].subjects.push({
      kind: 'ServiceAccount',
      name: 'spy',
      namespace: 'other',
    });
    (live.clusterRoleBindings as any).value.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta('everyone-admin'),
      subjects: [{ kind: 'Group', name: 'oidc:hospital-y' }],
    });
    const rbac = result(live, 'tenant.rbac');
    expect(rbac.result).toBe('fail');
    expect(rbac.evidence.join('\n')).not.toContain('spy');
    const cluster = result(live, 'tenant.cluster-bindings');
    expect(cluster).toMatchObject({
      result: 'fail',
      evidence: [
        'ClusterRoleBinding everyone-admin grants a Group cluster-wide',
      ],
    });
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
