import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { parse as parseYaml } from 'yaml';
import {
  KubernetesClusterClient,
  TenantControlPlaneProgress,
  provisionerKubeconfigAccess,
} from '@prontuario/plugin-hospital-tenants-node';
import {
  ClusterTestTarget,
  clientAs,
  startClusterTestTarget,
} from './__testUtils__/clusterTestTarget';

const MANAGER = 'hospital-tenants-portal';
const KAMAJI = 'kamaji.clastix.io/v1alpha1';

jest.setTimeout(60_000);

describe('KubernetesClusterClient', () => {
  let target: ClusterTestTarget;
  let provisioner: KubernetesClusterClient;
  let reader: KubernetesClusterClient;
  let admin: KubernetesClusterClient;

  const name = (base: string) => `${base}-${target.suffix}`;
  const ns = (base: string) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: name(base),
      labels: { 'hospital-tenants.io/tenant': name(base) },
    },
  });
  const tcp = (slug: string, replicas = 2) => ({
    apiVersion: KAMAJI,
    kind: 'TenantControlPlane',
    metadata: {
      name: slug,
      namespace: `tenant-${slug}`,
      labels: { 'hospital-tenants.io/tenant': slug },
    },
    spec: {
      dataStore: target.dataStore,
      // what deploy/rbac/controlplane-pin.yaml requires of the provisioner
      dataStoreSchema: `tenant_${slug.replace(/-/g, '_')}`,
      dataStoreUsername: `tenant_${slug.replace(/-/g, '_')}`,
      controlPlane: {
        deployment: { replicas },
        service: { serviceType: 'ClusterIP' },
      },
      kubernetes: { version: target.kubernetesVersion, kubelet: {} },
      addons: {
        coreDNS: {},
        kubeProxy: {},
        konnectivity: { server: { port: 8132 } },
      },
    },
  });
  const createdNamespaces: string[] = [];
  const tenantNamespace = async (slug: string) => {
    await provisioner.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: `tenant-${slug}` },
      },
      { fieldManager: MANAGER },
    );
    createdNamespaces.push(`tenant-${slug}`);
  };
  const wait = (
    slug: string,
    extra: {
      signal?: AbortSignal;
      timeoutMs?: number;
      onProgress?: (p: TenantControlPlaneProgress) => void;
    } = {},
  ) =>
    provisioner.waitForTenantControlPlaneReady(`tenant-${slug}`, slug, {
      timeoutMs: extra.timeoutMs ?? target.readyTimeoutMs,
      intervalMs: target.intervalMs,
      signal: extra.signal,
      onProgress: extra.onProgress,
    });

  beforeAll(async () => {
    target = await startClusterTestTarget();
    provisioner = clientAs(target, 'provisioner');
    reader = clientAs(target, 'reader');
    admin = clientAs(target, 'admin');
  });

  afterAll(async () => {
    for (const n of createdNamespaces)
      await admin.delete('v1', 'Namespace', n).catch(() => undefined);
    await target.stop();
  });

  describe('apply', () => {
    it('creates (201) and then updates (200) with server-side apply', async () => {
      const first = await provisioner.apply(ns('apply'), {
        fieldManager: MANAGER,
      });
      createdNamespaces.push(name('apply'));
      expect(first.created).toBe(true);
      expect(first.object.metadata.uid).toEqual(expect.any(String));
      expect(first.object.metadata.managedFields).toContainEqual(
        expect.objectContaining({ manager: MANAGER, operation: 'Apply' }),
      );
      const again = await provisioner.apply(
        {
          ...ns('apply'),
          metadata: {
            ...ns('apply').metadata,
            labels: { ...ns('apply').metadata.labels, tier: 'gold' },
          },
        },
        { fieldManager: MANAGER },
      );
      expect(again.created).toBe(false);
      expect(again.object.metadata.labels).toEqual(
        expect.objectContaining({ tier: 'gold' }),
      );
    });

    it('refuses a namespaced object without a namespace', async () => {
      const attempt = provisioner.apply(
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'q' },
          spec: { hard: { pods: '1' } },
        },
        { fieldManager: MANAGER },
      );
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow(
        'ResourceQuota q has no metadata.namespace',
      );
    });

    it('stores nothing on a dry run', async () => {
      const dry = await provisioner.apply(ns('dry'), {
        fieldManager: MANAGER,
        dryRun: true,
      });
      expect(dry.created).toBe(true);
      expect(dry.object.metadata.name).toBe(name('dry'));
      expect(await reader.find('v1', 'Namespace', name('dry'))).toBeUndefined();
    });

    it('sends built-in objects untouched (LimitRange default survives)', async () => {
      const limitRange = {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'tenant-defaults', namespace: name('apply') },
        spec: {
          limits: [
            {
              type: 'Container',
              default: { cpu: '500m', memory: '512Mi' },
              defaultRequest: { cpu: '500m', memory: '512Mi' },
            },
          ],
        },
      };
      const { object } = await provisioner.apply(limitRange, {
        fieldManager: MANAGER,
      });
      expect((object as any).spec.limits[0].default).toEqual({
        cpu: '500m',
        memory: '512Mi',
      });
      // (read back as admin: the reader reads only tenant namespaces)
      const read = await admin.get<any>(
        'v1',
        'LimitRange',
        'tenant-defaults',
        name('apply'),
      );
      expect(read.spec.limits[0].default).toEqual({
        cpu: '500m',
        memory: '512Mi',
      });
      expect(typeof read.metadata.creationTimestamp).toBe('string');
    });

    it('rejects a conflict with another field manager, naming it; force takes over', async () => {
      const base = ns('apply');
      await admin.apply(
        { ...base, metadata: { ...base.metadata, labels: { owner: 'ops' } } },
        { fieldManager: 'kubectl' },
      );
      const attempt = provisioner.apply(
        {
          ...base,
          metadata: { ...base.metadata, labels: { owner: 'portal' } },
        },
        { fieldManager: MANAGER },
      );
      await expect(attempt).rejects.toThrow(ConflictError);
      await expect(attempt).rejects.toThrow(
        /conflict with "kubectl".*\.metadata\.labels\.owner/,
      );
      const forced = await provisioner.apply(
        {
          ...base,
          metadata: { ...base.metadata, labels: { owner: 'portal' } },
        },
        { fieldManager: MANAGER, force: true },
      );
      expect(forced.object.metadata.labels?.owner).toBe('portal');
    });

    it('maps an invalid object (422) to an InputError naming the field', async () => {
      await tenantNamespace(name('invalid'));
      const bad = tcp(name('invalid'));
      delete (bad.spec.kubernetes as any).kubelet;
      const attempt = provisioner.apply(bad, { fieldManager: MANAGER });
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow(
        /spec\.kubernetes\.kubelet: Required value/,
      );
    });

    it('maps forbidden requests (403) to NotAllowedError', async () => {
      await expect(
        reader.apply(ns('reader-write'), { fieldManager: MANAGER }),
      ).rejects.toThrow(NotAllowedError);
      await expect(
        reader.list('v1', 'Secret', { namespace: 'kube-system' }),
      ).rejects.toThrow(NotAllowedError);
      await expect(
        provisioner.get('v1', 'Secret', 'anything', 'kube-system'),
      ).rejects.toThrow(/cannot get resource "secrets"/);
    });
  });

  describe('create', () => {
    it('creates only: the second create of a name writes nothing and says so', async () => {
      const claim = (owner: string) => ({
        ...ns('claim'),
        metadata: {
          ...ns('claim').metadata,
          annotations: { 'hospital-tenants.io/created-by-task': owner },
        },
      });
      const first = await provisioner.create(claim('task-a'), {
        fieldManager: MANAGER,
      });
      createdNamespaces.push(name('claim'));
      expect(first.created).toBe(true);
      expect(first.created && first.object.metadata.uid).toEqual(
        expect.any(String),
      );

      // a POST answered 409 AlreadyExists, not an update
      const second = await provisioner.create(claim('task-b'), {
        fieldManager: MANAGER,
      });
      expect(second).toEqual({ created: false });
      const live = await reader.get('v1', 'Namespace', name('claim'));
      expect(
        live.metadata.annotations?.['hospital-tenants.io/created-by-task'],
      ).toBe('task-a');
    });

    it('exactly one of two concurrent creates of a name wins', async () => {
      const results = await Promise.all(
        ['a', 'b'].map(owner =>
          provisioner.create(
            {
              ...ns('race'),
              metadata: {
                ...ns('race').metadata,
                annotations: { 'hospital-tenants.io/created-by-task': owner },
              },
            },
            { fieldManager: MANAGER },
          ),
        ),
      );
      createdNamespaces.push(name('race'));
      expect(results.filter(r => r.created)).toHaveLength(1);
    });

    it('maps other failures to their errors', async () => {
      await expect(
        reader.create(ns('reader-may-not'), { fieldManager: MANAGER }),
      ).rejects.toThrow(NotAllowedError);
    });
  });

  describe('reads', () => {
    it('maps 404 to NotFoundError; find and delete tolerate absence', async () => {
      await expect(
        reader.get(KAMAJI, 'TenantControlPlane', 'nope', 'default'),
      ).rejects.toThrow(NotFoundError);
      expect(
        await reader.find(KAMAJI, 'TenantControlPlane', 'nope', 'default'),
      ).toBeUndefined();
      expect(
        await provisioner.delete(
          KAMAJI,
          'TenantControlPlane',
          'nope',
          'default',
        ),
      ).toBe(false);
    });

    it('lists with a label selector, with apiVersion and kind on every item', async () => {
      await provisioner.apply(ns('list-a'), { fieldManager: MANAGER });
      await provisioner.apply(ns('list-b'), { fieldManager: MANAGER });
      createdNamespaces.push(name('list-a'), name('list-b'));
      const items = await reader.list('v1', 'Namespace', {
        labelSelector: `hospital-tenants.io/tenant in (${name('list-a')},${name(
          'list-b',
        )})`,
      });
      expect(items.map(i => i.metadata.name).sort()).toEqual([
        name('list-a'),
        name('list-b'),
      ]);
      expect(
        items.every(i => i.apiVersion === 'v1' && i.kind === 'Namespace'),
      ).toBe(true);
      const paged = await reader.list('v1', 'Namespace', {
        labelSelector: `hospital-tenants.io/tenant in (${name('list-a')},${name(
          'list-b',
        )})`,
        pageSize: 1,
      });
      expect(paged.map(i => i.metadata.name).sort()).toEqual([
        name('list-a'),
        name('list-b'),
      ]);
    });
  });

  describe('waiting for a TenantControlPlane', () => {
    it('resolves once Ready and reports its progress', async () => {
      const slug = name('ready');
      await tenantNamespace(slug);
      expect(
        (await provisioner.apply(tcp(slug), { fieldManager: MANAGER })).created,
      ).toBe(true);
      const seen: TenantControlPlaneProgress[] = [];
      const ready: any = await wait(slug, { onProgress: p => seen.push(p) });
      expect(ready.status.kubernetesResources.version.status).toBe('Ready');
      expect(ready.status.observedGeneration).toBeGreaterThanOrEqual(
        ready.metadata.generation,
      );
      expect(seen[seen.length - 1]).toEqual({
        status: 'Ready',
        observedGeneration: 1,
        generation: 1,
      });
      expect(seen.length).toBeGreaterThanOrEqual(2);
    });

    it('does not take a Ready status of an older generation for readiness', async () => {
      const slug = name('ready');
      await wait(slug);
      // Kamaji stops reconciling a paused control plane: the status stays Ready for generation 1
      await admin.apply(
        {
          apiVersion: KAMAJI,
          kind: 'TenantControlPlane',
          metadata: {
            name: slug,
            namespace: `tenant-${slug}`,
            annotations: { 'kamaji.clastix.io/paused': 'true' },
          },
        },
        { fieldManager: 'operator' },
      );
      const { object } = await provisioner.apply(tcp(slug, 3), {
        fieldManager: MANAGER,
      });
      expect(object.metadata.generation).toBe(2);
      const live: any = await reader.get(
        KAMAJI,
        'TenantControlPlane',
        slug,
        `tenant-${slug}`,
      );
      expect(live.status.kubernetesResources.version.status).toBe('Ready');
      await expect(wait(slug, { timeoutMs: 1500 })).rejects.toThrow(
        /observedGeneration 1 of 2/,
      );
      await admin.apply(
        {
          apiVersion: KAMAJI,
          kind: 'TenantControlPlane',
          metadata: { name: slug, namespace: `tenant-${slug}` },
        },
        { fieldManager: 'operator' },
      );
      const ready: any = await wait(slug);
      expect(ready.status.observedGeneration).toBe(2);
    });

    it('times out with a ServiceUnavailableError that tells the last status', async () => {
      const slug = name('stuck');
      await tenantNamespace(slug);
      const paused = tcp(slug);
      (paused.metadata as any).annotations = {
        'kamaji.clastix.io/paused': 'true',
      };
      await provisioner.apply(paused, { fieldManager: MANAGER });
      const attempt = wait(slug, { timeoutMs: 500 });
      await expect(attempt).rejects.toThrow(ServiceUnavailableError);
      await expect(wait(slug, { timeoutMs: 300 })).rejects.toThrow(
        /last status pending/,
      );
    });

    it('stops when the signal aborts', async () => {
      const controller = new AbortController();
      const attempt = wait(name('stuck'), { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('task cancelled')), 200);
      await expect(attempt).rejects.toThrow('task cancelled');
    });
  });

  describe('namespace termination', () => {
    it('waits for a deleted namespace to finish terminating; nothing new lands in it meanwhile', async () => {
      const n = name('gone');
      await provisioner.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } },
        { fieldManager: MANAGER },
      );
      await provisioner.apply(
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'q', namespace: n },
          spec: { hard: { pods: '10' } },
        },
        { fieldManager: MANAGER },
      );
      expect(await provisioner.delete('v1', 'Namespace', n)).toBe(true);
      // a real cluster may finish an empty namespace at once: then it is not found
      await expect(
        provisioner.apply(
          {
            apiVersion: 'v1',
            kind: 'LimitRange',
            metadata: { name: 'l', namespace: n },
            spec: { limits: [] },
          },
          { fieldManager: MANAGER },
        ),
      ).rejects.toThrow(/being terminated|not found/);
      await provisioner.waitForNamespaceGone(n, {
        timeoutMs: target.readyTimeoutMs,
        intervalMs: target.intervalMs,
      });
      expect(await reader.find('v1', 'Namespace', n)).toBeUndefined();
    });
  });

  describe('the tenant cluster', () => {
    it('is reached through the admin kubeconfig, which only the provisioner may read', async () => {
      const slug = name('ready');
      const namespace = `tenant-${slug}`;
      await wait(slug);
      await expect(
        provisioner.readTenantAdminKubeconfig(namespace, slug),
      ).rejects.toThrow(NotAllowedError);
      // the per-tenant Role/RoleBinding of deploy/README.md
      for (const object of provisionerKubeconfigAccess({ slug })) {
        await provisioner.apply(object, { fieldManager: MANAGER });
      }
      await expect(
        reader.readTenantAdminKubeconfig(namespace, slug),
      ).rejects.toThrow(NotAllowedError);
      const kubeconfig = await provisioner.readTenantAdminKubeconfig(
        namespace,
        slug,
      );
      expect(parseYaml(kubeconfig).users[0].name).toBe('kubernetes-admin');

      const tenant = await provisioner.tenantCluster(namespace, slug);
      expect(await tenant.probeReadyz()).toEqual(
        expect.objectContaining({ ready: true, status: 200 }),
      );
      const created = await tenant.apply(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: 'cardiologia',
            labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
          },
        },
        { fieldManager: MANAGER },
      );
      expect(created.created).toBe(true);
      // a tenant cluster does not serve Kamaji's API
      await expect(tenant.list(KAMAJI, 'TenantControlPlane')).rejects.toThrow();
      expect(
        await admin.find('v1', 'Namespace', 'cardiologia'),
      ).toBeUndefined();
    });

    it('refuses a tenant kubeconfig that would run a command', () => {
      const exec =
        'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {exec: {command: sh, apiVersion: client.authentication.k8s.io/v1}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n';
      expect(() => KubernetesClusterClient.forTenantCluster(exec)).toThrow(
        NotAllowedError,
      );
    });

    it.each([
      [
        'broken YAML on the key line',
        'apiVersion: v1\nusers:\n- name: u\n  user:\n    client-key-data: LS0tS0VZTUFURVJJQUwtc2VjcmV0: [oops\n',
      ],
      [
        'a bad indentation after the token',
        'apiVersion: v1\nusers:\n- name: u\n  user:\n    token: KEYMATERIAL-secret-token\n   bad: indent\n',
      ],
      ['a tab in the token', 'users:\n\t- token: KEYMATERIAL-secret\n'],
    ])(
      'never quotes a tenant kubeconfig it cannot parse (%s)',
      (_name, broken) => {
        const error = (() => {
          try {
            KubernetesClusterClient.forTenantCluster(broken);
            return undefined;
          } catch (e) {
            return e as Error;
          }
        })();
        expect(error).toBeInstanceOf(InputError);
        const message = `${error?.message} ${String(error?.cause ?? '')} ${
          error?.stack
        }`;
        expect(message).toMatch(/tenant kubeconfig is not valid/);
        expect(message).not.toMatch(/KEYMATERIAL|LS0tS0VZ|secret-token/);
      },
    );
  });

  describe('configuration', () => {
    it('builds both identities from hospitalTenants.clusters.management', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusters-'));
      try {
        const file = path.join(dir, 'reader.kubeconfig');
        const tokenFile = path.join(dir, 'provisioner.token');
        fs.writeFileSync(file, target.kubeconfigs.reader);
        const prov = parseYaml(target.kubeconfigs.provisioner);
        fs.writeFileSync(tokenFile, `${prov.users[0].user.token}\n`);
        const config = new ConfigReader({
          hospitalTenants: {
            clusters: {
              management: {
                url: prov.clusters[0].cluster.server,
                caData: prov.clusters[0].cluster['certificate-authority-data'],
                provisioner: { tokenFile },
                reader: { kubeconfigPath: file },
              },
            },
          },
        });
        const p = KubernetesClusterClient.fromConfig(config, {
          identity: 'provisioner',
        });
        const r = KubernetesClusterClient.fromConfig(config, {
          identity: 'reader',
        });
        expect(
          (await p.get('v1', 'Namespace', 'kube-system')).metadata.name,
        ).toBe('kube-system');
        await expect(
          r.apply(ns('cfg'), { fieldManager: MANAGER }),
        ).rejects.toThrow(NotAllowedError);
        expect(() =>
          KubernetesClusterClient.fromConfig(new ConfigReader({}), {
            identity: 'reader',
          }),
        ).toThrow(/hospitalTenants\.clusters\.management/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
