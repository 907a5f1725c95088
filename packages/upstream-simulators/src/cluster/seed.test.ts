import { findRepoRoot } from './paths';
import { SeedTenant, loadReferenceTenants, seedTenants } from './seed';
import { ClusterSimulator, startClusterSimulator } from './simulator';
import { eventually, rawRequest } from './testUtils';

// the first simulator of a process compiles Kamaji's schema; CI machines are slow
jest.setTimeout(60_000);

type Obj = Record<string, any>;

// What @backstage/plugin-kubernetes-backend lists (its default object types
// minus ConfigMaps and Secrets, which the reader may not read).
/** The lists the Kubernetes plugin makes, in the namespace of the entity's `backstage.io/kubernetes-namespace`. */
const KUBERNETES_PLUGIN_LISTS = [
  '/api/v1/pods',
  '/api/v1/services',
  '/api/v1/limitranges',
  '/api/v1/resourcequotas',
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/replicasets',
  '/apis/autoscaling/v2/horizontalpodautoscalers',
  '/apis/batch/v1/jobs',
  '/apis/batch/v1/cronjobs',
  '/apis/networking.k8s.io/v1/ingresses',
  '/apis/apps/v1/statefulsets',
  '/apis/apps/v1/daemonsets',
];

describe('the reference tenants', () => {
  let sim: ClusterSimulator;
  let tenants: SeedTenant[];

  beforeAll(async () => {
    sim = await startClusterSimulator({ readyDelayMs: 100 });
    tenants = await loadReferenceTenants(findRepoRoot());
    await seedTenants(sim, tenants);
  }, 60_000);

  afterAll(async () => {
    await sim.stop();
  });

  it('are provisioned by the provisioner identity, with Ready control planes', async () => {
    expect(tenants.map(t => t.slug)).toEqual([
      'hospital-santa-maria',
      'hospital-sao-joao',
      'real-hospital-portugues',
    ]);
    const res = await rawRequest(
      sim.kubeconfigs.reader,
      'GET',
      '/apis/kamaji.clastix.io/v1alpha1/tenantcontrolplanes?labelSelector=hospital-tenants.io%2Ftenant',
    );
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((t: Obj) => [
        t.metadata.name,
        t.status.kubernetesResources.version.status,
      ]),
    ).toEqual([
      ['hospital-santa-maria', 'Ready'],
      ['hospital-sao-joao', 'Ready'],
      ['real-hospital-portugues', 'Ready'],
    ]);
    for (const t of res.body.items) {
      expect(
        t.metadata.managedFields.find((m: Obj) => m.operation === 'Apply')
          .manager,
      ).toBe('hospital-tenants-portal');
    }
  });

  it('are past the one-way gate, as a provisioning run leaves them', () => {
    for (const t of tenants) {
      const namespace = `tenant-${t.slug}`;
      const ns = sim.management.get('', 'namespaces', undefined, namespace)!;
      expect([
        t.slug,
        ns.metadata.labels['hospital-tenants.io/provisioned'],
      ]).toEqual([t.slug, 'true']);
      expect(ns.metadata.annotations['hospital-tenants.io/api-server-ca']).toBe(
        Buffer.from(sim.caPem).toString('base64'),
      );
      for (const plural of ['roles', 'rolebindings'])
        expect(
          sim.management.get(
            'rbac.authorization.k8s.io',
            plural,
            namespace,
            'hospital-tenants-provisioner-kubeconfig',
          ),
        ).toBeUndefined();
      // the reader's binding and the API server's authentication configuration
      expect(
        sim.management.get(
          'rbac.authorization.k8s.io',
          'rolebindings',
          namespace,
          'hospital-tenants-tenant-reader',
        ),
      ).toBeDefined();
      expect(
        sim.management.get(
          '',
          'configmaps',
          namespace,
          'hospital-tenants-authentication',
        ),
      ).toBeDefined();
    }
  });

  it('have their departments inside their own tenant cluster', async () => {
    const tenant = sim.tenant('tenant-hospital-sao-joao', 'hospital-sao-joao')!;
    const names = tenant.list('', 'namespaces').map(n => n.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining(['clinica-geral', 'emergencia', 'maternidade']),
    );
    expect(
      sim.management.get('', 'namespaces', undefined, 'clinica-geral'),
    ).toBeUndefined();
  });

  it('answer every list the Kubernetes plugin makes for a tenant, for the reader', async () => {
    const selector = encodeURIComponent(
      'backstage.io/kubernetes-id=hospital-sao-joao',
    );
    const inNamespace = (list: string, ns: string) =>
      list.replace(/\/([a-z]+)$/, `/namespaces/${ns}/$1`);
    for (const list of KUBERNETES_PLUGIN_LISTS) {
      const res = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        `${inNamespace(
          list,
          'tenant-hospital-sao-joao',
        )}?labelSelector=${selector}`,
      );
      expect([list, res.status]).toEqual([list, 200]);
      expect(res.body.kind).toMatch(/List$/);
      // never outside the tenant namespaces, nor across all of them
      for (const path of [list, inNamespace(list, 'kube-system')]) {
        const denied = await rawRequest(
          sim.kubeconfigs.reader,
          'GET',
          `${path}?labelSelector=${selector}`,
        );
        expect([path, denied.status]).toEqual([path, 403]);
      }
    }
    const pods = await rawRequest(
      sim.kubeconfigs.reader,
      'GET',
      `/api/v1/namespaces/tenant-hospital-sao-joao/pods?labelSelector=${selector}`,
    );
    expect(pods.body.items.length).toBeGreaterThanOrEqual(2);
    expect(
      pods.body.items.every(
        (p: Obj) =>
          p.metadata.namespace === 'tenant-hospital-sao-joao' &&
          p.status.phase === 'Running',
      ),
    ).toBe(true);
    const deployments = await rawRequest(
      sim.kubeconfigs.reader,
      'GET',
      `/apis/apps/v1/namespaces/tenant-hospital-sao-joao/deployments?labelSelector=${selector}`,
    );
    expect(deployments.body.items.map((d: Obj) => d.metadata.name)).toEqual([
      'hospital-sao-joao',
    ]);
    const configMaps = await rawRequest(
      sim.kubeconfigs.reader,
      'GET',
      `/api/v1/namespaces/tenant-hospital-sao-joao/configmaps?labelSelector=${selector}`,
    );
    expect(configMaps.status).toBe(403);
    // nor a Secret, even in a tenant's own namespace
    for (const path of [
      '/api/v1/namespaces/tenant-hospital-sao-joao/secrets',
      '/api/v1/namespaces/tenant-hospital-sao-joao/secrets/hospital-sao-joao-admin-kubeconfig',
      '/api/v1/secrets',
    ]) {
      const res = await rawRequest(sim.kubeconfigs.reader, 'GET', path);
      expect([path, res.status]).toEqual([path, 403]);
    }
  });

  it('have quotas that hold a rolling update of the control plane (100 % surge)', async () => {
    const tcp = structuredClone(
      tenants
        .find(t => t.slug === 'real-hospital-portugues')!
        .management.find(o => o.kind === 'TenantControlPlane')!,
    );
    const { namespace, name } = tcp.metadata;
    const pods = tcp.spec.controlPlane.deployment.podAdditionalMetadata ?? {};
    tcp.spec.controlPlane.deployment.podAdditionalMetadata = {
      ...pods,
      annotations: {
        ...(pods.annotations ?? {}),
        'example.org/restartedAt': 'now',
      },
    };
    const applied = sim.management.apply(tcp, {
      manager: 'hospital-tenants-portal',
      user: sim.users.provisioner,
    });
    expect(applied.object.metadata.generation).toBe(2);
    const ready = await eventually(() => {
      const t = sim.management.get(
        'kamaji.clastix.io',
        'tenantcontrolplanes',
        namespace,
        name,
      );
      const status = t?.status?.kubernetesResources?.version?.status;
      if (status === 'NotReady')
        throw new Error(
          JSON.stringify(t!.status.kubernetesResources.deployment.conditions),
        );
      return t?.status?.observedGeneration === 2 && status === 'Ready' && t;
    });
    expect(ready.status.kubernetesResources.deployment.readyReplicas).toBe(
      tcp.spec.controlPlane.deployment.replicas,
    );
    expect(sim.management.list('apps', 'replicasets', namespace)).toHaveLength(
      1,
    );
  });
});
