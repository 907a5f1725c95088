import { ServiceUnavailableError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterSimulator, startClusterSimulator } from '../cluster/simulator';
import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';

// the first simulator of a process compiles Kamaji's schema; CI machines are slow
jest.setTimeout(30_000);

// Upstream failures need the simulator's fault hooks, so these run against it only.
describe('KubernetesClusterClient against a failing API server', () => {
  let sim: ClusterSimulator;
  let client: KubernetesClusterClient;

  beforeAll(async () => {
    sim = await startClusterSimulator({ readyDelayMs: 100 });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigs.reader);
    client = new KubernetesClusterClient(kc, { requestTimeoutMs: 400 });
  });

  afterEach(() => sim.faults.clear());

  afterAll(async () => {
    await sim.stop();
  });

  it('maps a 5xx answer to ServiceUnavailableError', async () => {
    sim.faults.add({ path: '/api/v1/namespaces/default', status: 503 });
    await expect(client.get('v1', 'Namespace', 'default')).rejects.toThrow(
      ServiceUnavailableError,
    );
    await expect(client.get('v1', 'Namespace', 'default')).rejects.toThrow(
      /answered 503: the server is currently unable to handle the request/,
    );
  });

  it('gives up on a hanging request after the request timeout', async () => {
    sim.faults.add({ path: '/api/v1/namespaces/kube-system', hang: true });
    const start = Date.now();
    await expect(client.get('v1', 'Namespace', 'kube-system')).rejects.toThrow(
      ServiceUnavailableError,
    );
    expect(Date.now() - start).toBeLessThan(3000);
  });

  it('tolerates latency below the timeout', async () => {
    sim.faults.add({ path: '/api/v1/namespaces/kube-public', latencyMs: 100 });
    expect(
      (await client.get('v1', 'Namespace', 'kube-public')).metadata.name,
    ).toBe('kube-public');
  });

  it('keeps waiting through transient errors until its deadline', async () => {
    sim.management.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-x' } },
      { manager: 'test' },
    );
    sim.management.apply(
      {
        apiVersion: 'kamaji.clastix.io/v1alpha1',
        kind: 'TenantControlPlane',
        metadata: { name: 'x', namespace: 'tenant-x' },
        spec: {
          controlPlane: { service: { serviceType: 'ClusterIP' } },
          kubernetes: { version: 'v1.35.7', kubelet: {} },
        },
      },
      { manager: 'test' },
    );
    sim.faults.add({
      path: '/apis/kamaji.clastix.io/v1alpha1/namespaces/tenant-x',
      status: 503,
      times: 3,
    });
    const ready: any = await client.waitForTenantControlPlaneReady(
      'tenant-x',
      'x',
      { timeoutMs: 5000, intervalMs: 50 },
    );
    expect(ready.status.kubernetesResources.version.status).toBe('Ready');
    expect(sim.faults.hits).toBeGreaterThanOrEqual(3);

    sim.faults.add({
      path: '/apis/kamaji.clastix.io/v1alpha1/namespaces/tenant-x',
      status: 500,
    });
    await expect(
      client.waitForTenantControlPlaneReady('tenant-x', 'x', {
        timeoutMs: 300,
        intervalMs: 50,
      }),
    ).rejects.toThrow(/did not happen within 0s \(last error: .*answered 500/);
  });

  it('says why the control plane is not coming up when its pods are refused', async () => {
    sim.management.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'tenant-tight' },
      },
      { manager: 'test' },
    );
    sim.management.apply(
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'tenant-quota', namespace: 'tenant-tight' },
        spec: { hard: { pods: '1' } },
      },
      { manager: 'test' },
    );
    sim.management.apply(
      {
        apiVersion: 'kamaji.clastix.io/v1alpha1',
        kind: 'TenantControlPlane',
        metadata: { name: 'tight', namespace: 'tenant-tight' },
        spec: {
          controlPlane: { service: { serviceType: 'ClusterIP' } },
          kubernetes: { version: 'v1.35.7', kubelet: {} },
        },
      },
      { manager: 'test' },
    );
    const progress: string[] = [];
    await expect(
      client.waitForTenantControlPlaneReady('tenant-tight', 'tight', {
        timeoutMs: 600,
        intervalMs: 50,
        onProgress: p => progress.push(p.status ?? 'pending'),
      }),
    ).rejects.toThrow(
      /last status NotReady, observedGeneration none of 1; pods ".*" is forbidden: exceeded quota: tenant-quota, requested: pods=1, used: pods=1, limited: pods=1/,
    );
    expect(progress).toContain('NotReady');
  });

  it('reports an unreachable API server as unavailable, and /readyz as not ready', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(
      sim.kubeconfigs.reader.replace(
        /server: .*/,
        'server: https://127.0.0.1:1',
      ),
    );
    const gone = new KubernetesClusterClient(kc, { requestTimeoutMs: 1000 });
    await expect(gone.get('v1', 'Namespace', 'default')).rejects.toThrow(
      ServiceUnavailableError,
    );
    expect((await gone.probeReadyz()).ready).toBe(false);
    sim.faults.add({ path: '/readyz', status: 500 });
    expect(await client.probeReadyz()).toEqual(
      expect.objectContaining({ ready: false, status: 500 }),
    );
  });
});
