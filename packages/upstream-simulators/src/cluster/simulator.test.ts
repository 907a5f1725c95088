import { ClusterSimulator, startClusterSimulator } from './simulator';
import https from 'node:https';
import { applyAs, credentialsOf, eventually, rawRequest } from './testUtils';

// the first simulator of a process compiles Kamaji's schema; CI machines are slow
jest.setTimeout(60_000);

type Obj = Record<string, any>;

const TCP = (name: string, extra: Obj = {}): Obj => ({
  apiVersion: 'kamaji.clastix.io/v1alpha1',
  kind: 'TenantControlPlane',
  metadata: {
    name,
    namespace: `tenant-${name}`,
    labels: { 'hospital-tenants.io/tenant': name },
  },
  spec: {
    dataStore: 'postgresql-gold',
    controlPlane: {
      deployment: { replicas: 2 },
      service: { serviceType: 'LoadBalancer' },
    },
    kubernetes: { version: 'v1.35.7', kubelet: {} },
    networkProfile: { port: 6443, certSANs: [`${name}.k8s.example.org`] },
    addons: {
      coreDNS: {},
      kubeProxy: {},
      konnectivity: { server: { port: 8132 } },
    },
    ...extra,
  },
});

const NS = (name: string, labels: Obj = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

describe('cluster simulator', () => {
  let sim: ClusterSimulator;

  beforeAll(async () => {
    sim = await startClusterSimulator({
      readyDelayMs: 150,
      namespaceTerminationMs: 150,
    });
  });

  afterAll(async () => {
    await sim.stop();
  });

  afterEach(() => sim.faults.clear());

  describe('discovery', () => {
    it('serves the core and Kamaji resource lists of the management cluster', async () => {
      const core = await rawRequest(sim.kubeconfigs.reader, 'GET', '/api/v1');
      expect(core.status).toBe(200);
      expect(core.body.kind).toBe('APIResourceList');
      expect(core.body.resources).toContainEqual(
        expect.objectContaining({
          name: 'namespaces',
          namespaced: false,
          kind: 'Namespace',
        }),
      );
      const kamaji = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        '/apis/kamaji.clastix.io/v1alpha1',
      );
      expect(kamaji.body.resources).toContainEqual(
        expect.objectContaining({
          name: 'tenantcontrolplanes',
          namespaced: true,
          kind: 'TenantControlPlane',
          shortNames: ['tcp'],
        }),
      );
      expect(kamaji.body.resources).toContainEqual(
        expect.objectContaining({ name: 'datastores', namespaced: false }),
      );
      const groups = await rawRequest(sim.kubeconfigs.reader, 'GET', '/apis');
      expect(groups.body.groups.map((g: Obj) => g.name)).toEqual(
        expect.arrayContaining([
          'apps',
          'batch',
          'autoscaling',
          'networking.k8s.io',
          'rbac.authorization.k8s.io',
          'kamaji.clastix.io',
        ]),
      );
    });

    it('rejects anonymous API requests but answers /readyz', async () => {
      const anonymous = sim.kubeconfigs.reader.replace(
        /token: .*/,
        'token: not-a-token',
      );
      expect(
        (await rawRequest(anonymous, 'GET', '/api/v1/namespaces')).status,
      ).toBe(401);
      const ready = await rawRequest(anonymous, 'GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.text).toBe('ok');
    });
  });

  describe('server-side apply', () => {
    it('creates with 201, answers 200 on update, and keeps a no-op apply from writing', async () => {
      const first = await applyAs(
        sim,
        'admin',
        NS('ssa-a', { team: 'x' }),
        'alpha',
      );
      expect(first.status).toBe(201);
      expect(first.body.metadata.labels).toEqual({
        team: 'x',
        'kubernetes.io/metadata.name': 'ssa-a',
      });
      expect(first.body.metadata.managedFields).toEqual([
        expect.objectContaining({
          manager: 'alpha',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } },
        }),
      ]);
      const again = await applyAs(
        sim,
        'admin',
        NS('ssa-a', { team: 'x' }),
        'alpha',
      );
      expect(again.status).toBe(200);
      expect(again.body.metadata.resourceVersion).toBe(
        first.body.metadata.resourceVersion,
      );
      const changed = await applyAs(
        sim,
        'admin',
        NS('ssa-a', { team: 'y' }),
        'alpha',
      );
      expect(changed.status).toBe(200);
      expect(Number(changed.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(first.body.metadata.resourceVersion),
      );
      // a field the manager stops applying is removed
      const dropped = await applyAs(
        sim,
        'admin',
        NS('ssa-a', { other: 'z' }),
        'alpha',
      );
      expect(dropped.body.metadata.labels).toEqual({
        other: 'z',
        'kubernetes.io/metadata.name': 'ssa-a',
      });
    });

    it('answers a conflicting apply with the real 409 body, and force takes the field over', async () => {
      await applyAs(
        sim,
        'admin',
        NS('ssa-b', { owner: 'one' }),
        'first-manager',
      );
      const conflict = await applyAs(
        sim,
        'admin',
        NS('ssa-b', { owner: 'two' }),
        'second-manager',
      );
      expect(conflict.status).toBe(409);
      expect(conflict.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Apply failed with 1 conflict: conflict with "first-manager" using v1: .metadata.labels.owner',
        reason: 'Conflict',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "first-manager" using v1',
              field: '.metadata.labels.owner',
            },
          ],
        },
        code: 409,
      });
      // the same value is shared ownership, not a conflict
      expect(
        (
          await applyAs(
            sim,
            'admin',
            NS('ssa-b', { owner: 'one' }),
            'second-manager',
          )
        ).status,
      ).toBe(200);
      const forced = await applyAs(
        sim,
        'admin',
        NS('ssa-b', { owner: 'two' }),
        'second-manager',
        true,
      );
      expect(forced.status).toBe(200);
      expect(forced.body.metadata.labels.owner).toBe('two');
      expect(
        forced.body.metadata.managedFields.map((m: Obj) => m.manager),
      ).toEqual(['second-manager']);
    });

    it('requires a field manager and a matching namespace', async () => {
      const noManager = await rawRequest(
        sim.kubeconfigs.admin,
        'PATCH',
        '/api/v1/namespaces/ssa-c',
        NS('ssa-c'),
        'application/apply-patch+yaml',
      );
      expect(noManager.status).toBe(400);
      await applyAs(sim, 'admin', NS('ssa-d'), 'm');
      const wrongNs = await rawRequest(
        sim.kubeconfigs.admin,
        'PATCH',
        '/api/v1/namespaces/ssa-d/limitranges/l?fieldManager=m',
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'l', namespace: 'elsewhere' },
          spec: { limits: [] },
        },
        'application/apply-patch+yaml',
      );
      expect(wrongNs.status).toBe(400);
      expect(wrongNs.body.message).toBe(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    });
  });

  describe('validation', () => {
    beforeAll(async () => {
      await applyAs(sim, 'admin', NS('tenant-val'), 'm');
    });

    it('answers 422 with the Status of the CRD schema', async () => {
      const tcp = TCP('val');
      tcp.spec.kubernetes = { version: 'v1.35.7' };
      tcp.spec.controlPlane.service.serviceType = 'Public';
      const res = await applyAs(sim, 'admin', tcp, 'm');
      expect(res.status).toBe(422);
      expect(res.body.reason).toBe('Invalid');
      expect(res.body.details.kind).toBe('TenantControlPlane');
      expect(res.body.details.causes).toEqual(
        expect.arrayContaining([
          {
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'spec.kubernetes.kubelet',
          },
          {
            reason: 'FieldValueNotSupported',
            message:
              'Unsupported value: "Public": supported values: "ClusterIP", "NodePort", "LoadBalancer"',
            field: 'spec.controlPlane.service.serviceType',
          },
        ]),
      );
      expect(res.body.message).toMatch(
        /^TenantControlPlane\.kamaji\.clastix\.io "val" is invalid: \[/,
      );
    });

    it('refuses fields the schema does not declare', async () => {
      const tcp = TCP('val');
      tcp.spec.controlPlane.deployment.replica = 2;
      const res = await applyAs(sim, 'admin', tcp, 'm');
      expect(res.status).toBe(422);
      expect(res.body.details.causes).toEqual([
        {
          reason: 'FieldValueInvalid',
          message: 'field not declared in schema',
          field: 'spec.controlPlane.deployment.replica',
        },
      ]);
    });

    it('evaluates the CRD CEL rules, including transition rules', async () => {
      const lb = TCP('val');
      lb.spec.controlPlane.service.serviceType = 'ClusterIP';
      lb.spec.networkProfile.loadBalancerSourceRanges = ['10.0.0.0/8'];
      const res = await applyAs(sim, 'admin', lb, 'm');
      expect(res.status).toBe(422);
      expect(res.body.message).toContain(
        'LoadBalancer source ranges are supported only with LoadBalancer service type',
      );

      const created = await applyAs(sim, 'admin', TCP('val'), 'm');
      expect(created.status).toBe(201);
      const changed = TCP('val', { dataStoreSchema: 'another' });
      const immutable = await applyAs(sim, 'admin', changed, 'm');
      expect(immutable.status).toBe(422);
      expect(immutable.body.details.causes).toContainEqual({
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "string": changing the dataStoreSchema is not supported',
        field: 'spec.dataStoreSchema',
      });
    });

    it('applies the Kamaji webhook defaults and refuses an unknown DataStore', async () => {
      const tcp = await eventually(() =>
        sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          'tenant-val',
          'val',
        ),
      );
      expect(tcp.spec.dataStoreSchema).toBe(
        tcp.metadata.uid.replace(/-/g, '_'),
      );
      expect(tcp.spec.dataStoreUsername).toBe(tcp.spec.dataStoreSchema);
      expect(tcp.spec.networkProfile.dnsServiceIPs).toEqual(['10.96.0.10']);
      expect(tcp.spec.controlPlane.deployment.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
      });
      await applyAs(sim, 'admin', NS('tenant-nods'), 'm');
      const res = await applyAs(
        sim,
        'admin',
        TCP('nods', { dataStore: 'missing' }),
        'm',
      );
      expect(res.status).toBe(403);
      expect(res.body.message).toBe(
        'admission webhook "vtenantcontrolplane.kb.io" denied the request: DataStore.kamaji.clastix.io "missing" not found',
      );
    });

    it('validates built-in kinds (kubernetes-models and the API server semantics)', async () => {
      const quota = {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'q', namespace: 'tenant-val' },
        spec: { hard: { 'requests.cpu': 'lots' } },
      };
      const res = await applyAs(sim, 'admin', quota, 'm');
      expect(res.status).toBe(422);
      expect(res.body.details.causes[0].field).toBe('spec.hard[requests.cpu]');
      const np = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'np', namespace: 'tenant-val' },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }],
        },
      };
      const npRes = await applyAs(sim, 'admin', np, 'm');
      expect(npRes.status).toBe(422);
      expect(npRes.body.details.causes[0].field).toBe(
        'spec.egress[0].to[0].ipBlock.cidr',
      );
      const badName = await applyAs(sim, 'admin', NS('Tenant_X'), 'm');
      expect(badName.status).toBe(422);
      expect(badName.body.details.causes[0].field).toBe('metadata.name');
    });
  });

  describe('create', () => {
    it('answers a POST of a taken name with the real 409 AlreadyExists Status, writing nothing', async () => {
      const claim = (owner: string) => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'tenant-claimed', annotations: { owner } },
      });
      const path = '/api/v1/namespaces?fieldManager=claim';
      const admin = sim.kubeconfigs.admin;
      const first = await rawRequest(admin, 'POST', path, claim('a'));
      expect(first.status).toBe(201);
      const second = await rawRequest(admin, 'POST', path, claim('b'));
      // kube-apiserver's answer, field for field
      expect(second.status).toBe(409);
      expect(second.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'namespaces "tenant-claimed" already exists',
        reason: 'AlreadyExists',
        details: { name: 'tenant-claimed', kind: 'namespaces' },
        code: 409,
      });
      const live = await rawRequest(
        admin,
        'GET',
        '/api/v1/namespaces/tenant-claimed',
      );
      expect(live.body.metadata.annotations).toEqual({ owner: 'a' });
    });
  });

  describe('reads', () => {
    it('answers 404 with the NotFound Status', async () => {
      const res = await rawRequest(
        sim.kubeconfigs.admin,
        'GET',
        '/apis/kamaji.clastix.io/v1alpha1/namespaces/default/tenantcontrolplanes/nope',
      );
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'tenantcontrolplanes.kamaji.clastix.io "nope" not found',
        reason: 'NotFound',
        details: {
          name: 'nope',
          group: 'kamaji.clastix.io',
          kind: 'tenantcontrolplanes',
        },
        code: 404,
      });
      const missingNs = await applyAs(
        sim,
        'admin',
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'l', namespace: 'no-such-ns' },
          spec: { limits: [] },
        },
        'm',
      );
      expect(missingNs.status).toBe(404);
      expect(missingNs.body.message).toBe('namespaces "no-such-ns" not found');
    });

    it('filters lists by label selector, without TypeMeta on built-in items', async () => {
      await applyAs(
        sim,
        'admin',
        NS('sel-a', { 'hospital-tenants.io/tenant': 'a', tier: 'gold' }),
        'm',
      );
      await applyAs(
        sim,
        'admin',
        NS('sel-b', { 'hospital-tenants.io/tenant': 'b' }),
        'm',
      );
      const names = async (selector: string) =>
        (
          await rawRequest(
            sim.kubeconfigs.reader,
            'GET',
            `/api/v1/namespaces?labelSelector=${encodeURIComponent(selector)}`,
          )
        ).body.items.map((i: Obj) => i.metadata.name);
      expect(await names('hospital-tenants.io/tenant=a')).toEqual(['sel-a']);
      expect(await names('hospital-tenants.io/tenant in (a,b),!tier')).toEqual([
        'sel-b',
      ]);
      expect(
        await names('hospital-tenants.io/tenant,tier notin (gold)'),
      ).toEqual(['sel-b']);
      const list = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        '/api/v1/namespaces?labelSelector=tier%3Dgold',
      );
      expect(list.body.kind).toBe('NamespaceList');
      expect(list.body.items[0].kind).toBeUndefined();
      const bad = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        '/api/v1/namespaces?labelSelector=a%20b',
      );
      expect(bad.status).toBe(400);
    });
  });

  describe('watch', () => {
    it('streams the current objects, then changes, as newline-delimited events', async () => {
      await applyAs(sim, 'admin', NS('watch-a', { watched: 'yes' }), 'm');
      const c = credentialsOf(sim.kubeconfigs.reader);
      const events: Obj[] = [];
      const req = https.request(
        new URL(
          '/api/v1/namespaces?watch=true&labelSelector=watched',
          c.server,
        ),
        {
          ca: c.ca,
          agent: false,
          headers: { Authorization: `Bearer ${c.token}` },
        },
      );
      req.on('response', res => {
        let buffer = '';
        res.on('data', chunk => {
          buffer += chunk;
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          events.push(...lines.map(l => JSON.parse(l)));
        });
      });
      req.on('error', () => undefined);
      req.end();
      await eventually(() => events.length === 1);
      await applyAs(sim, 'admin', NS('watch-b', { watched: 'yes' }), 'm');
      await applyAs(sim, 'admin', NS('watch-c'), 'm');
      await rawRequest(
        sim.kubeconfigs.admin,
        'DELETE',
        '/api/v1/namespaces/watch-a',
      );
      await eventually(() => events.length >= 4);
      req.destroy();
      expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'watch-a'],
        ['ADDED', 'watch-b'],
        ['MODIFIED', 'watch-a'],
        ['DELETED', 'watch-a'],
      ]);
      expect(events[0].object.kind).toBe('Namespace');
      expect(events[2].object.status.phase).toBe('Terminating');
    });
  });

  describe('pagination', () => {
    it('pages lists with limit and continue', async () => {
      for (const n of ['page-a', 'page-b', 'page-c'])
        await applyAs(sim, 'admin', NS(n, { paged: 'yes' }), 'm');
      const first = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        '/api/v1/namespaces?labelSelector=paged&limit=2',
      );
      expect(first.body.items.map((i: Obj) => i.metadata.name)).toEqual([
        'page-a',
        'page-b',
      ]);
      expect(first.body.metadata.remainingItemCount).toBe(1);
      const second = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        `/api/v1/namespaces?labelSelector=paged&limit=2&continue=${first.body.metadata.continue}`,
      );
      expect(second.body.items.map((i: Obj) => i.metadata.name)).toEqual([
        'page-c',
      ]);
      expect(second.body.metadata.continue).toBeUndefined();
      expect(
        (
          await rawRequest(
            sim.kubeconfigs.reader,
            'GET',
            '/api/v1/namespaces?limit=2&continue=garbage',
          )
        ).status,
      ).toBe(400);
    });
  });

  describe('Kamaji', () => {
    it('walks a TenantControlPlane from Provisioning to Ready and serves the tenant API', async () => {
      await applyAs(sim, 'admin', NS('tenant-kam'), 'm');
      const created = await applyAs(sim, 'admin', TCP('kam'), 'm');
      expect(created.status).toBe(201);
      expect(created.body.metadata.generation).toBe(1);
      const provisioning = await eventually(() => {
        const t = sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          'tenant-kam',
          'kam',
        );
        return (
          t?.status?.kubernetesResources?.version?.status === 'Provisioning' &&
          t
        );
      });
      expect(provisioning.status.observedGeneration).toBeUndefined();
      const ready = await eventually(() => {
        const t = sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          'tenant-kam',
          'kam',
        );
        return t?.status?.kubernetesResources?.version?.status === 'Ready' && t;
      });
      expect(ready.status.observedGeneration).toBe(1);
      expect(ready.status.kubernetesResources.version.version).toBe('v1.35.7');
      expect(ready.status.kubeconfig.admin.secretName).toBe(
        'kam-admin-kubeconfig',
      );
      expect(ready.status.storage.driver).toBe('PostgreSQL');
      expect(ready.status.controlPlaneEndpoint).toMatch(/^127\.0\.0\.1:\d+$/);

      const pods = sim.management.list('', 'pods', 'tenant-kam');
      expect(pods).toHaveLength(2);
      expect(pods[0].spec.containers.map((c: Obj) => c.name)).toEqual([
        'kube-apiserver',
        'kube-controller-manager',
        'kube-scheduler',
        'kine',
        'konnectivity-server',
      ]);
      expect(pods.every(p => p.status.phase === 'Running')).toBe(true);
      expect(
        sim.management.get('', 'services', 'tenant-kam', 'kam')!.status
          .loadBalancer.ingress,
      ).toEqual([{ ip: '10.10.10.200', ipMode: 'VIP' }]);

      const secret = sim.management.get(
        '',
        'secrets',
        'tenant-kam',
        'kam-admin-kubeconfig',
      )!;
      expect(Object.keys(secret.data).sort()).toEqual([
        'admin.conf',
        'admin.svc',
        'super-admin.conf',
        'super-admin.svc',
      ]);
      const adminConf = Buffer.from(
        secret.data['admin.conf'],
        'base64',
      ).toString();
      expect(credentialsOf(adminConf).server).toBe(
        `https://${ready.status.controlPlaneEndpoint}`,
      );
      expect(credentialsOf(adminConf).ca).toBe(sim.caPem);
      expect(
        credentialsOf(
          Buffer.from(secret.data['admin.svc'], 'base64').toString(),
        ).server,
      ).toBe('https://kam.tenant-kam.svc:6443');

      // the tenant's own API server: no Kamaji there, and the admin is a cluster admin
      const groups = await rawRequest(adminConf, 'GET', '/apis');
      expect(groups.body.groups.map((g: Obj) => g.name)).not.toContain(
        'kamaji.clastix.io',
      );
      expect((await rawRequest(adminConf, 'GET', '/readyz')).text).toBe('ok');
      const ns = await rawRequest(
        adminConf,
        'PATCH',
        '/api/v1/namespaces/cardiologia?fieldManager=m',
        NS('cardiologia'),
        'application/apply-patch+yaml',
      );
      expect(ns.status).toBe(201);
      expect(
        sim
          .tenant('tenant-kam', 'kam')!
          .get('', 'namespaces', undefined, 'cardiologia'),
      ).toBeDefined();
      expect(
        sim.management.get('', 'namespaces', undefined, 'cardiologia'),
      ).toBeUndefined();
    });

    it('keeps observedGeneration behind until the change is reconciled', async () => {
      await eventually(
        () =>
          sim.management.get(
            'kamaji.clastix.io',
            'tenantcontrolplanes',
            'tenant-kam',
            'kam',
          )?.status?.observedGeneration === 1,
      );
      sim.kamaji.hold('tenant-kam', 'kam');
      const updated = await applyAs(
        sim,
        'admin',
        TCP('kam', {
          controlPlane: {
            deployment: { replicas: 3 },
            service: { serviceType: 'LoadBalancer' },
          },
        }),
        'm',
      );
      expect(updated.body.metadata.generation).toBe(2);
      await new Promise(r => setTimeout(r, 300));
      const held = sim.management.get(
        'kamaji.clastix.io',
        'tenantcontrolplanes',
        'tenant-kam',
        'kam',
      )!;
      expect(held.status.observedGeneration).toBe(1);
      sim.kamaji.release('tenant-kam', 'kam');
      const done = await eventually(() => {
        const t = sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          'tenant-kam',
          'kam',
        );
        return (
          t?.status?.observedGeneration === 2 &&
          t.status.kubernetesResources.version.status === 'Ready' &&
          t
        );
      });
      expect(done.status.kubernetesResources.deployment.readyReplicas).toBe(3);
    });

    it('runs the control-plane pods through the namespace quota and keeps the plane NotReady when they do not fit', async () => {
      await applyAs(sim, 'admin', NS('tenant-tight'), 'm');
      await applyAs(
        sim,
        'admin',
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'tenant-quota', namespace: 'tenant-tight' },
          spec: { hard: { 'requests.cpu': '1', 'limits.cpu': '1' } },
        },
        'm',
      );
      const tcp = TCP('tight');
      tcp.spec.controlPlane.deployment.resources = {
        apiServer: { requests: { cpu: '500m' }, limits: { cpu: '500m' } },
      };
      await applyAs(sim, 'admin', tcp, 'm');
      const notReady = await eventually(() => {
        const t = sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          'tenant-tight',
          'tight',
        );
        return (
          t?.status?.kubernetesResources?.version?.status === 'NotReady' && t
        );
      });
      const failure =
        notReady.status.kubernetesResources.deployment.conditions.find(
          (c: Obj) => c.type === 'ReplicaFailure',
        );
      expect(failure.message).toMatch(
        /^pods ".*" is forbidden: failed quota: tenant-quota: must specify requests.cpu for: kube-controller-manager,kube-scheduler,kine,konnectivity-server; limits.cpu for: /,
      );
      const quota = await rawRequest(
        sim.kubeconfigs.admin,
        'GET',
        '/api/v1/namespaces/tenant-tight/resourcequotas/tenant-quota',
      );
      expect(quota.body.status).toEqual({
        hard: { 'requests.cpu': '1', 'limits.cpu': '1' },
        used: { 'requests.cpu': '0', 'limits.cpu': '0' },
      });
    });

    it('rolls a new pod template out next to the old pods, so a quota for one set refuses it', async () => {
      await applyAs(sim, 'admin', NS('tenant-surge'), 'm');
      const cpu = { requests: { cpu: '100m' }, limits: { cpu: '100m' } };
      await applyAs(
        sim,
        'admin',
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'q', namespace: 'tenant-surge' },
          spec: { hard: { 'requests.cpu': '600m', 'limits.cpu': '600m' } },
        },
        'm',
      );
      const tcp = TCP('surge');
      delete tcp.spec.dataStore; // Kamaji's default DataStore, etcd: no kine
      delete tcp.spec.addons;
      tcp.spec.controlPlane.deployment.resources = {
        apiServer: cpu,
        controllerManager: cpu,
        scheduler: cpu,
      };
      await applyAs(sim, 'admin', tcp, 'm');
      await eventually(
        () =>
          sim.management.get(
            'kamaji.clastix.io',
            'tenantcontrolplanes',
            'tenant-surge',
            'surge',
          )?.status?.kubernetesResources?.version?.status === 'Ready',
      );
      tcp.spec.controlPlane.deployment.podAdditionalMetadata = {
        annotations: { restartedAt: 'now' },
      };
      await applyAs(sim, 'admin', tcp, 'm');
      const stuck = await eventually(() => {
        const t = sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          'tenant-surge',
          'surge',
        );
        return (
          t?.status?.kubernetesResources?.version?.status === 'NotReady' && t
        );
      });
      expect(stuck.status.observedGeneration).toBe(1);
      const failure =
        stuck.status.kubernetesResources.deployment.conditions.find(
          (c: Obj) => c.type === 'ReplicaFailure',
        );
      expect(failure.message).toMatch(
        /exceeded quota: q, requested: requests.cpu=300m,limits.cpu=300m, used: requests.cpu=600m,limits.cpu=600m, limited: requests.cpu=600m,limits.cpu=600m/,
      );
      // the old pods keep running
      expect(
        sim.management
          .list('', 'pods', 'tenant-surge')
          .filter(p => p.status?.phase === 'Running'),
      ).toHaveLength(2);
    });

    it('removes a control plane with its namespace, and its API server with it', async () => {
      await applyAs(sim, 'admin', NS('tenant-bye'), 'm');
      const tcp = TCP('bye');
      delete tcp.spec.addons;
      await applyAs(sim, 'admin', tcp, 'm');
      const ready = await eventually(() => {
        const t = sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          'tenant-bye',
          'bye',
        );
        return t?.status?.kubernetesResources?.version?.status === 'Ready' && t;
      });
      const adminConf = Buffer.from(
        sim.management.get('', 'secrets', 'tenant-bye', 'bye-admin-kubeconfig')!
          .data['admin.conf'],
        'base64',
      ).toString();
      expect((await rawRequest(adminConf, 'GET', '/readyz')).status).toBe(200);
      await rawRequest(
        sim.kubeconfigs.admin,
        'DELETE',
        '/api/v1/namespaces/tenant-bye',
      );
      await eventually(
        () =>
          !sim.tenant('tenant-bye', 'bye') &&
          !sim.management.get('', 'namespaces', undefined, 'tenant-bye'),
      );
      expect(sim.management.list('', 'pods', 'tenant-bye')).toEqual([]);
      await expect(rawRequest(adminConf, 'GET', '/readyz')).rejects.toThrow(
        /ECONNREFUSED/,
      );
      expect(ready.status.controlPlaneEndpoint).toBeTruthy();
    });

    it('serves the DataStores with their status', async () => {
      await eventually(() =>
        sim.management
          .get('kamaji.clastix.io', 'datastores', undefined, 'postgresql-gold')
          ?.status?.usedBy?.includes('tenant-kam/kam'),
      );
      const path =
        '/apis/kamaji.clastix.io/v1alpha1/datastores/postgresql-gold';
      // a DataStore may carry inline credentials: neither portal identity reads it
      for (const who of ['reader', 'provisioner'] as const) {
        expect(
          (await rawRequest(sim.kubeconfigs[who], 'GET', path)).status,
        ).toBe(403);
      }
      const ds = await rawRequest(sim.kubeconfigs.admin, 'GET', path);
      expect(ds.body.status.ready).toBe(true);
      expect(ds.body.status.conditions[0]).toEqual(
        expect.objectContaining({
          type: 'kamaji.clastix.io/DataStoreValidation',
          status: 'True',
          reason: 'DataStoreIsValid',
        }),
      );
    });
  });

  describe('RBAC from deploy/rbac', () => {
    it('forbids the reader Secrets and writes, with the real message', async () => {
      const secrets = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        '/api/v1/namespaces/kube-system/secrets',
      );
      expect(secrets.status).toBe(403);
      expect(secrets.body.message).toBe(
        'secrets is forbidden: User "system:serviceaccount:backstage:hospital-tenants-reader" cannot list resource "secrets" in API group "" in the namespace "kube-system"',
      );
      const write = await applyAs(sim, 'reader', NS('reader-ns'), 'm');
      expect(write.status).toBe(403);
      expect(write.body.reason).toBe('Forbidden');
      const tcps = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        '/apis/kamaji.clastix.io/v1alpha1/tenantcontrolplanes',
      );
      expect(tcps.status).toBe(200);
    });

    it('lets the provisioner read one tenant kubeconfig only through the per-tenant Role', async () => {
      await applyAs(
        sim,
        'provisioner',
        NS('tenant-rb'),
        'hospital-tenants-provisioner',
      );
      const path = '/api/v1/namespaces/tenant-rb/secrets/rb-admin-kubeconfig';
      await sim.management.apply(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'rb-admin-kubeconfig', namespace: 'tenant-rb' },
          data: { 'admin.conf': 'eA==' },
        },
        { manager: 'kamaji' },
      );
      expect(
        (await rawRequest(sim.kubeconfigs.provisioner, 'GET', path)).status,
      ).toBe(403);
      const role = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: {
          name: 'hospital-tenants-provisioner-kubeconfig',
          namespace: 'tenant-rb',
        },
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            verbs: ['get'],
            resourceNames: ['rb-admin-kubeconfig'],
          },
        ],
      };
      const binding = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: {
          name: 'hospital-tenants-provisioner-kubeconfig',
          namespace: 'tenant-rb',
        },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'hospital-tenants-provisioner-kubeconfig',
        },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'hospital-tenants-provisioner',
            namespace: 'backstage',
          },
        ],
      };
      // a broader Role under the allowed name is refused by the admission policy
      const greedy = await applyAs(
        sim,
        'provisioner',
        {
          ...role,
          rules: [
            { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
          ],
        },
        'hospital-tenants-provisioner',
      );
      expect(greedy.status).toBe(403);
      expect(greedy.body.message).toContain(
        "ValidatingAdmissionPolicy 'hospital-tenants-provisioner-kubeconfig-role'",
      );
      // any other Role name is not the provisioner's to write
      const other = await applyAs(
        sim,
        'provisioner',
        { ...role, metadata: { ...role.metadata, name: 'other' } },
        'hospital-tenants-provisioner',
      );
      expect(other.status).toBe(403);
      expect(
        (
          await applyAs(
            sim,
            'provisioner',
            role,
            'hospital-tenants-provisioner',
          )
        ).status,
      ).toBe(201);
      expect(
        (
          await applyAs(
            sim,
            'provisioner',
            binding,
            'hospital-tenants-provisioner',
          )
        ).status,
      ).toBe(201);
      expect(
        (await rawRequest(sim.kubeconfigs.provisioner, 'GET', path)).status,
      ).toBe(200);
      expect(
        (
          await rawRequest(
            sim.kubeconfigs.provisioner,
            'GET',
            '/api/v1/namespaces/tenant-rb/secrets',
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await rawRequest(
            sim.kubeconfigs.provisioner,
            'GET',
            '/api/v1/namespaces/kube-system/secrets/x',
          )
        ).status,
      ).toBe(403);
    });

    it('answers SelfSubjectAccessReviews from the same rules', async () => {
      // the reader reads a tenant namespace through the plan's RoleBinding
      const binding = (ns: string) => ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'hospital-tenants-tenant-reader', namespace: ns },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'hospital-tenants-tenant-reader',
        },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'hospital-tenants-reader',
            namespace: 'backstage',
          },
        ],
      });
      expect(
        (await applyAs(sim, 'admin', binding('tenant-kam'), 'm')).status,
      ).toBe(201);
      const review = (verb: string, resource: string) =>
        rawRequest(
          sim.kubeconfigs.reader,
          'POST',
          '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: { verb, resource, namespace: 'tenant-kam' },
            },
          },
        );
      const pods = await review('list', 'pods');
      expect(pods.status).toBe(201);
      expect(pods.body.status.allowed).toBe(true);
      expect((await review('get', 'secrets')).body.status.allowed).toBe(false);
    });
  });

  describe('namespace termination', () => {
    it('keeps a deleted namespace Terminating, refuses new content, then removes it', async () => {
      await applyAs(sim, 'admin', NS('tenant-gone'), 'm');
      await applyAs(
        sim,
        'admin',
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'l', namespace: 'tenant-gone' },
          spec: { limits: [] },
        },
        'm',
      );
      const del = await rawRequest(
        sim.kubeconfigs.provisioner,
        'DELETE',
        '/api/v1/namespaces/tenant-gone',
      );
      expect(del.status).toBe(200);
      expect(del.body.status.phase).toBe('Terminating');
      const refused = await applyAs(
        sim,
        'admin',
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'm', namespace: 'tenant-gone' },
          spec: { limits: [] },
        },
        'm',
      );
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain(
        'limitranges "m" is forbidden: unable to create new content in namespace tenant-gone because it is being terminated',
      );
      await eventually(
        async () =>
          (
            await rawRequest(
              sim.kubeconfigs.admin,
              'GET',
              '/api/v1/namespaces/tenant-gone',
            )
          ).status === 404,
      );
      expect(sim.management.list('', 'limitranges', 'tenant-gone')).toEqual([]);
    });
  });

  describe('faults', () => {
    it('injects 5xx, latency and hangs per path', async () => {
      sim.faults.add({
        path: '/api/v1/namespaces/default',
        status: 503,
        times: 1,
      });
      const failed = await rawRequest(
        sim.kubeconfigs.reader,
        'GET',
        '/api/v1/namespaces/default',
      );
      expect(failed.status).toBe(503);
      expect(failed.body.reason).toBe('ServiceUnavailable');
      expect(
        (
          await rawRequest(
            sim.kubeconfigs.reader,
            'GET',
            '/api/v1/namespaces/default',
          )
        ).status,
      ).toBe(200);

      sim.faults.add({
        path: /^\/api\/v1\/namespaces\/kube-system$/,
        latencyMs: 200,
      });
      const start = Date.now();
      expect(
        (
          await rawRequest(
            sim.kubeconfigs.reader,
            'GET',
            '/api/v1/namespaces/kube-system',
          )
        ).status,
      ).toBe(200);
      expect(Date.now() - start).toBeGreaterThanOrEqual(190);

      sim.faults.add({ path: '/api/v1/namespaces/kube-public', hang: true });
      const hung = await Promise.race([
        rawRequest(
          sim.kubeconfigs.reader,
          'GET',
          '/api/v1/namespaces/kube-public',
        ).then(() => 'answered'),
        new Promise(r => setTimeout(() => r('hung'), 300)),
      ]);
      expect(hung).toBe('hung');
    });
  });
});
