import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  IsolationCheck,
  TenantIsolation,
  tenantIsolationSchema,
  TenantStatus,
  tenantStatusSchema,
} from '@prontuario/plugin-hospital-tenants-common';
import { ClusterSimulator } from '@prontuario/upstream-simulators';
import request from 'supertest';
import { hospitalTenantsPlugin } from '../plugin';
import {
  eventually,
  exampleGroups,
  fakePermissions,
  readerOf,
  referencePlatformConfig,
  REFERENCE_TENANTS,
  startSeededSimulator,
  tenantEntity,
} from '../__testUtils__/tenantApiHarness';

jest.setTimeout(60_000);

const PLATFORM = mockCredentials.user.header('user:default/platform');
const ADMIN = { manager: 'isolation-test' };
const NEW_TENANT = 'hospital-nova';

type Obj = Record<string, any>;

/** A live object as something to write back: no server-set metadata, no status. */
function strip(obj: Obj): Obj {
  const metadata = { ...obj.metadata };
  for (const key of [
    'uid',
    'resourceVersion',
    'managedFields',
    'creationTimestamp',
    'generation',
  ]) {
    delete metadata[key];
  }
  const rest = { ...obj };
  delete rest.status;
  return { ...rest, metadata };
}

describe('isolation and status of tenants in every state, against the cluster simulator', () => {
  let sim: ClusterSimulator;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sim = await startSeededSimulator();
    const backend = await startTestBackend({
      features: [
        hospitalTenantsPlugin,
        readerOf(sim),
        fakePermissions().factory,
        catalogServiceMock.factory({
          entities: [
            ...[...REFERENCE_TENANTS, NEW_TENANT].map(s => tenantEntity(s)),
            ...exampleGroups(),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            hospitalTenants: {
              ...referencePlatformConfig(),
              api: {
                validateResponses: true,
                warmupSeconds: 0,
                // each request after 50 ms re-reads the cluster, waiting for it
                statusFreshSeconds: 0.05,
                isolationFreshSeconds: 0.05,
                staleWaitMs: 10_000,
                upstream: { breakerThreshold: 1000 },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterEach(() => sim.faults.clear());

  afterAll(async () => {
    await stop?.();
    await sim?.stop();
  });

  const isolation = async (tenant: string): Promise<TenantIsolation> => {
    const res = await request(server)
      .get(`/api/hospital-tenants/tenants/${tenant}/isolation`)
      .set('Authorization', PLATFORM);
    expect(res.status).toBe(200);
    return tenantIsolationSchema.parse(res.body);
  };
  const status = async (tenant: string): Promise<TenantStatus> => {
    const res = await request(server)
      .get(`/api/hospital-tenants/tenants/${tenant}/status`)
      .set('Authorization', PLATFORM);
    expect(res.status).toBe(200);
    return tenantStatusSchema.parse(res.body);
  };
  const checkOf = (i: TenantIsolation, id: string): IsolationCheck =>
    i.checks.find(c => c.id === id)!;
  const until = (
    tenant: string,
    id: string,
    result: IsolationCheck['result'],
  ) =>
    eventually(
      () => isolation(tenant),
      i => checkOf(i, id).result === result,
    );

  it('fails default deny and the expected policies on an allow-all NetworkPolicy', async () => {
    const ns = 'tenant-hospital-sao-joao';
    expect(
      checkOf(await isolation('hospital-sao-joao'), 'management.default-deny')
        .result,
    ).toBe('pass');
    sim.management.apply(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-everything', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] },
      },
      ADMIN,
    );
    const result = await until(
      'hospital-sao-joao',
      'management.default-deny',
      'fail',
    );
    expect(checkOf(result, 'management.default-deny').evidence).toContain(
      'ingress from an unrelated namespace to the API server (6443): ADMITTED',
    );
    expect(checkOf(result, 'management.network-policies')).toMatchObject({
      result: 'fail',
      evidence: expect.arrayContaining(['not in the plan: allow-everything']),
    });
    expect(result.score.failed).toBeGreaterThanOrEqual(2);
    sim.management.delete(
      'networking.k8s.io',
      'networkpolicies',
      ns,
      'allow-everything',
    );
    await until('hospital-sao-joao', 'management.default-deny', 'pass');
  });

  it('fails Pod Security on a namespace without its labels', async () => {
    const live = sim.management.get(
      '',
      'namespaces',
      undefined,
      'tenant-hospital-santa-maria',
    )!;
    const labels = { ...live.metadata.labels };
    const without = Object.fromEntries(
      Object.entries(labels).filter(
        ([k]) => !k.startsWith('pod-security.kubernetes.io/'),
      ),
    );
    sim.management.update(
      { ...live, metadata: { ...live.metadata, labels: without } },
      ADMIN,
    );
    const result = await until(
      'hospital-santa-maria',
      'management.pod-security',
      'fail',
    );
    expect(checkOf(result, 'management.pod-security').evidence[0]).toMatch(
      /no pod-security\.kubernetes\.io\/enforce label/,
    );
    const current = sim.management.get(
      '',
      'namespaces',
      undefined,
      'tenant-hospital-santa-maria',
    )!;
    sim.management.update(
      { ...current, metadata: { ...current.metadata, labels } },
      ADMIN,
    );
    await until('hospital-santa-maria', 'management.pod-security', 'pass');
  });

  it('fails RBAC on a RoleBinding to another group, without naming the group', async () => {
    const ns = 'tenant-real-hospital-portugues';
    sim.management.apply(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'friendly-access', namespace: ns },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'hospital-tenants-reader',
        },
        subjects: [
          {
            kind: 'Group',
            apiGroup: 'rbac.authorization.k8s.io',
            name: 'oidc:hospital-sao-joao',
          },
        ],
      },
      ADMIN,
    );
    const result = await until(
      'real-hospital-portugues',
      'management.rbac',
      'fail',
    );
    const evidence = checkOf(result, 'management.rbac').evidence.join('\n');
    expect(evidence).toContain(
      'RoleBinding friendly-access grants a Group outside the platform',
    );
    expect(evidence).not.toContain('sao-joao');
    sim.management.delete(
      'rbac.authorization.k8s.io',
      'rolebindings',
      ns,
      'friendly-access',
    );
    await until('real-hospital-portugues', 'management.rbac', 'pass');
  });

  it("fails a ClusterRoleBinding that lets another hospital's group into every namespace, naming neither", async () => {
    const before = checkOf(
      await isolation('hospital-santa-maria'),
      'management.rbac',
    );
    expect(before.result).toBe('pass');
    expect(before.evidence[1]).toMatch(
      /^\d+ ClusterRoleBinding\(s\), all to the platform/,
    );
    // the platform's monitoring (hospitalTenants.network.management) reads every namespace
    sim.management.apply(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'prometheus' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'hospital-tenants-tenant-reader',
        },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'prometheus',
            namespace: 'monitoring',
          },
        ],
      },
      ADMIN,
    );
    sim.management.apply(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'sao-joao-oncall' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'hospital-tenants-tenant-reader',
        },
        subjects: [
          {
            kind: 'Group',
            apiGroup: 'rbac.authorization.k8s.io',
            name: 'oidc:hospital:hospital-sao-joao',
          },
        ],
      },
      ADMIN,
    );
    const result = await until(
      'hospital-santa-maria',
      'management.rbac',
      'fail',
    );
    const evidence = checkOf(result, 'management.rbac').evidence;
    // the monitoring binding is not among them
    expect(evidence).toEqual([
      'a ClusterRoleBinding grants a Group a custom ClusterRole in every namespace, this one included',
    ]);
    expect(evidence.join('\n')).not.toMatch(/sao-joao|oncall/);
    sim.management.delete(
      'rbac.authorization.k8s.io',
      'clusterrolebindings',
      undefined,
      'sao-joao-oncall',
    );
    sim.management.delete(
      'rbac.authorization.k8s.io',
      'clusterrolebindings',
      undefined,
      'prometheus',
    );
    await until('hospital-santa-maria', 'management.rbac', 'pass');
  });

  it('says unknown, never pass, when RBAC forbids the reader the ClusterRoleBindings', async () => {
    const rbac = 'rbac.authorization.k8s.io';
    const role = sim.management.get(
      rbac,
      'clusterroles',
      undefined,
      'hospital-tenants-reader',
    )!;
    const granted = (role.rules as Obj[]).filter(r =>
      (r.resources ?? []).includes('clusterrolebindings'),
    );
    // deploy/rbac/reader.yaml grants it, read-only
    expect(granted).toEqual([
      {
        apiGroups: [rbac],
        resources: ['clusterrolebindings'],
        verbs: ['get', 'list'],
      },
    ]);
    // an operator who applied an older reader.yaml: the real authorizer refuses
    sim.management.update(
      {
        ...role,
        rules: (role.rules as Obj[]).filter(r => !granted.includes(r)),
      },
      ADMIN,
    );
    try {
      const result = await until(
        'hospital-sao-joao',
        'management.rbac',
        'unknown',
      );
      expect(checkOf(result, 'management.rbac').evidence).toEqual([
        expect.stringMatching(
          /^could not be read: .*clusterrolebindings.* forbidden|^could not be read: .*forbidden.*clusterrolebindings/i,
        ),
      ]);
      expect(checkOf(result, 'management.pod-security').result).toBe('pass');
    } finally {
      const current = sim.management.get(
        rbac,
        'clusterroles',
        undefined,
        'hospital-tenants-reader',
      )!;
      sim.management.update({ ...current, rules: role.rules }, ADMIN);
    }
    await until('hospital-sao-joao', 'management.rbac', 'pass');
  });

  it('fails quota and limits when they are missing, with evidence', async () => {
    const ns = 'tenant-real-hospital-portugues';
    const quotas = sim.management.list('', 'resourcequotas', ns);
    const limits = sim.management.list('', 'limitranges', ns);
    expect(quotas.length).toBeGreaterThan(0);
    for (const q of quotas)
      sim.management.delete('', 'resourcequotas', ns, q.metadata.name);
    for (const l of limits)
      sim.management.delete('', 'limitranges', ns, l.metadata.name);
    const result = await until(
      'real-hospital-portugues',
      'management.resource-quota',
      'fail',
    );
    expect(checkOf(result, 'management.resource-quota').evidence).toEqual([
      `no ResourceQuota in ${ns}`,
    ]);
    expect(checkOf(result, 'management.limit-range').evidence).toEqual([
      `no Container LimitRange in ${ns}`,
    ]);
    expect(result.quota).toEqual([]);
    for (const o of [...limits, ...quotas])
      sim.management.apply(strip(o), ADMIN);
    await until('real-hospital-portugues', 'management.resource-quota', 'pass');
  });

  it('says unknown, never pass, for checks whose reads fail', async () => {
    sim.faults.add({
      path: '/apis/networking.k8s.io/v1/namespaces/tenant-hospital-santa-maria/networkpolicies',
      status: 500,
    });
    const result = await until(
      'hospital-santa-maria',
      'management.default-deny',
      'unknown',
    );
    expect(checkOf(result, 'management.network-policies').result).toBe(
      'unknown',
    );
    expect(checkOf(result, 'management.default-deny').evidence[0]).toMatch(
      /^could not be read: /,
    );
    expect(checkOf(result, 'management.control-plane-ready').result).toBe(
      'pass',
    );
    sim.faults.clear();
    await until('hospital-santa-maria', 'management.default-deny', 'pass');
  });

  it('reports a missing control plane, then pending while Kamaji has not reported, and fails a shared DataStore schema', async () => {
    const ns = `tenant-${NEW_TENANT}`;
    expect((await status(NEW_TENANT)).phase).toBe('missing');
    const missing = await isolation(NEW_TENANT);
    expect(checkOf(missing, 'management.control-plane-ready')).toMatchObject({
      result: 'fail',
      evidence: ['the TenantControlPlane does not exist'],
    });
    expect(checkOf(missing, 'management.pod-security').evidence).toEqual([
      `namespace ${ns} does not exist`,
    ]);

    // a second control plane on sao joao's DataStore schema, paused before Kamaji reports
    const model = sim.management.get(
      'kamaji.clastix.io',
      'tenantcontrolplanes',
      'tenant-hospital-sao-joao',
      'hospital-sao-joao',
    )!;
    sim.management.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      ADMIN,
    );
    const copy = strip(model);
    sim.management.apply(
      {
        ...copy,
        metadata: {
          name: NEW_TENANT,
          namespace: ns,
          labels: { 'hospital-tenants.io/tenant': NEW_TENANT },
          // Kamaji does not reconcile a paused control plane: it never reports
          annotations: { 'kamaji.clastix.io/paused': 'true' },
        },
      },
      ADMIN,
    );
    const pending = await eventually(
      () => status(NEW_TENANT),
      s => s.phase !== 'missing',
    );
    expect(pending).toMatchObject({
      phase: 'pending',
      endpoint: null,
      version: { observed: null },
    });
    const shared = await until(
      'hospital-sao-joao',
      'management.datastore-schema',
      'fail',
    );
    expect(checkOf(shared, 'management.datastore-schema').evidence[0]).toMatch(
      /^schema \S+ on DataStore \S+ is also used by 1 other control plane\(s\)$/,
    );
    expect(JSON.stringify(shared)).not.toContain(NEW_TENANT);
    const nova = await isolation(NEW_TENANT);
    const ready = checkOf(nova, 'management.control-plane-ready');
    // paused by the test, the new control plane never becomes Ready
    expect(ready.result).not.toBe('pass');
    expect(ready.evidence[0]).toMatch(
      /^Kamaji has not reported a status yet$|^phase \w+/,
    );
    sim.management.delete('', 'namespaces', undefined, ns);
  });

  it('reports a Sleeping control plane and leaves its checks unknown', async () => {
    const live = sim.management.get(
      'kamaji.clastix.io',
      'tenantcontrolplanes',
      'tenant-real-hospital-portugues',
      'real-hospital-portugues',
    )!;
    live.spec.controlPlane.deployment.replicas = 0;
    sim.management.update(live, ADMIN);
    const sleeping = await eventually(
      () => status('real-hospital-portugues'),
      s => s.phase === 'Sleeping',
    );
    expect(sleeping.phase).toBe('Sleeping');
    const result = await until(
      'real-hospital-portugues',
      'management.control-plane-ready',
      'unknown',
    );
    expect(
      checkOf(result, 'management.control-plane-ready').evidence[0],
    ).toMatch(/Sleeping/);
    expect(checkOf(result, 'tenant.default-deny').evidence[0]).toMatch(
      /Sleeping/,
    );
  });
});
