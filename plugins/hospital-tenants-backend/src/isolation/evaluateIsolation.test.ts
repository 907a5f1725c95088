import {
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
