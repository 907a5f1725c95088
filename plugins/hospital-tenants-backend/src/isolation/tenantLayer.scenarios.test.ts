import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { API_SERVER_CA_ANNOTATION } from '@prontuario/plugin-hospital-tenants-node';
import {
  IsolationCheck,
  TenantIsolation,
  tenantIsolationSchema,
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
/** a department of real-hospital-portugues (examples/tenants) */
const DEPARTMENT_OF_RHP = 'oncologia';

describe("the tenant layer, read in each tenant's own cluster with the read-only identity", () => {
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
            ...REFERENCE_TENANTS.map(s => tenantEntity(s)),
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
  const tenantCluster = (slug: string) => sim.tenant(`tenant-${slug}`, slug)!;

  it("passes a reference tenant's departments on what it can evidence, and never passes the CNI without evidence", async () => {
    const result = await isolation('hospital-sao-joao');
    for (const id of [
      'tenant.pod-security',
      'tenant.default-deny',
      'tenant.no-cross-namespace',
      'tenant.quota-limits',
      'tenant.rbac',
      'tenant.cluster-bindings',
    ]) {
      expect({ id, result: checkOf(result, id).result }).toEqual({
        id,
        result: 'pass',
      });
    }
    expect(checkOf(result, 'tenant.pod-security').evidence).toEqual([
      'clinica-geral: pod-security.kubernetes.io/enforce=restricted',
      'emergencia: pod-security.kubernetes.io/enforce=restricted',
      'maternidade: pod-security.kubernetes.io/enforce=restricted',
    ]);
    expect(checkOf(result, 'tenant.default-deny').evidence[0]).toBe(
      'clinica-geral: ingress from an unrelated namespace denied, egress to the internet denied',
    );
    // the simulated tenant cluster runs no Cilium or Calico
    const cni = checkOf(result, 'tenant.cni');
    expect(cni.result).toBe('unknown');
    expect(cni.evidence.join('\n')).toMatch(
      /no running Cilium or Calico DaemonSet/,
    );
    expect(result.score.total).toBe(15);
  });

  it('detects a running Cilium DaemonSet as the enforcing CNI', async () => {
    const cluster = tenantCluster('hospital-sao-joao');
    cluster.apply(
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'cilium', namespace: 'kube-system' },
        spec: {
          selector: { matchLabels: { 'k8s-app': 'cilium' } },
          template: {
            metadata: { labels: { 'k8s-app': 'cilium' } },
            spec: { containers: [{ name: 'cilium-agent', image: 'cilium' }] },
          },
        },
      },
      ADMIN,
    );
    const live = cluster.get('apps', 'daemonsets', 'kube-system', 'cilium')!;
    cluster.updateStatus(
      {
        ...live,
        status: {
          desiredNumberScheduled: 2,
          currentNumberScheduled: 2,
          numberMisscheduled: 0,
          numberReady: 2,
        },
      },
      ADMIN,
    );
    const result = await until('hospital-sao-joao', 'tenant.cni', 'pass');
    expect(checkOf(result, 'tenant.cni').evidence).toEqual([
      'Cilium: DaemonSet kube-system/cilium, 2 of 2 ready',
    ]);
  });

  it('fails Pod Security on a department namespace without its labels, naming the namespace', async () => {
    const cluster = tenantCluster('hospital-santa-maria');
    const live = cluster.get('', 'namespaces', undefined, 'cardiologia')!;
    const labels = Object.fromEntries(
      Object.entries(live.metadata.labels ?? {}).filter(
        ([k]) => !k.startsWith('pod-security.kubernetes.io/'),
      ),
    );
    cluster.update({ ...live, metadata: { ...live.metadata, labels } }, ADMIN);
    const result = await until(
      'hospital-santa-maria',
      'tenant.pod-security',
      'fail',
    );
    expect(checkOf(result, 'tenant.pod-security').evidence).toContain(
      'cardiologia: no pod-security.kubernetes.io/enforce label: any pod is admitted',
    );
  });

  it('fails default deny and cross-namespace isolation on an allow-all policy', async () => {
    tenantCluster('hospital-santa-maria').apply(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-everything', namespace: 'cardiologia' },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{}],
          egress: [{}],
        },
      },
      ADMIN,
    );
    const result = await until(
      'hospital-santa-maria',
      'tenant.default-deny',
      'fail',
    );
    expect(checkOf(result, 'tenant.default-deny').evidence).toContain(
      'cardiologia: ingress from an unrelated namespace ADMITTED (port 80), egress to the internet ADMITTED (port 80)',
    );
    const cross = checkOf(result, 'tenant.no-cross-namespace');
    expect(cross.result).toBe('fail');
    expect(cross.evidence.join('\n')).toMatch(
      /cardiologia: traffic with other namespaces ADMITTED/,
    );
  });

  it("passes RBAC bound to the owner's cluster group behind the OIDC prefix, then fails a RoleBinding to another hospital's group without naming it", async () => {
    const before = checkOf(
      await isolation('real-hospital-portugues'),
      'tenant.rbac',
    );
    // examples/org.yaml's annotation, behind app-config.yaml's groupsPrefix
    expect(before.result).toBe('pass');
    expect(before.evidence).toContain(
      `${DEPARTMENT_OF_RHP}: 1 RoleBinding(s), only to oidc:hospital:real-hospital-portugues`,
    );
    tenantCluster('real-hospital-portugues').apply(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'friendly-access', namespace: DEPARTMENT_OF_RHP },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'hospital-department-member',
        },
        subjects: [
          {
            kind: 'Group',
            apiGroup: 'rbac.authorization.k8s.io',
            // São João's cluster group, as its own tenant API server names it
            name: 'oidc:hospital:hospital-sao-joao',
          },
        ],
      },
      ADMIN,
    );
    const result = await until(
      'real-hospital-portugues',
      'tenant.rbac',
      'fail',
    );
    const rbac = checkOf(result, 'tenant.rbac');
    expect(rbac.evidence).toEqual([
      `${DEPARTMENT_OF_RHP}: RoleBinding friendly-access grants a Group, not the hospital's cluster group oidc:hospital:real-hospital-portugues`,
    ]);
    expect(rbac.evidence.join('\n')).not.toContain('sao-joao');
    tenantCluster('real-hospital-portugues').delete(
      'rbac.authorization.k8s.io',
      'rolebindings',
      DEPARTMENT_OF_RHP,
      'friendly-access',
    );
    await until('real-hospital-portugues', 'tenant.rbac', 'pass');
  });

  it("says unknown with the reason when the tenant's identity is not available", async () => {
    const ns = 'tenant-real-hospital-portugues';
    const live = sim.management.get('', 'namespaces', undefined, ns)!;
    const annotations = { ...live.metadata.annotations };
    const without = Object.fromEntries(
      Object.entries(annotations).filter(
        ([k]) => k !== API_SERVER_CA_ANNOTATION,
      ),
    );
    sim.management.update(
      { ...live, metadata: { ...live.metadata, annotations: without } },
      // a tenant provisioned before the identity existed: only break-glass may drop the CA
      {
        ...ADMIN,
        user: {
          name: 'break-glass',
          groups: ['system:masters', 'hospital-tenants:break-glass'],
        },
      },
    );
    const result = await until(
      'real-hospital-portugues',
      'tenant.pod-security',
      'unknown',
    );
    for (const c of result.checks.filter(x => x.layer === 'tenant')) {
      expect(c.result).toBe('unknown');
      expect(c.evidence[0]).toMatch(
        /cannot be read with the portal's read-only identity: .*has not published its API server CA/,
      );
    }
    // the management layer is still evaluated
    expect(checkOf(result, 'management.pod-security').result).toBe('pass');
  });
});
