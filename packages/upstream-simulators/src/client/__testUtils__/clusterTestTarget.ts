/*
 * Where the cluster client's tests run: the project's cluster simulator
 * (default), or a real management cluster with Kamaji when
 * HOSPITAL_TENANTS_TEST_REAL_CLUSTER=1 and KUBECONFIG points at it (see the
 * README of @prontuario/upstream-simulators). The tests are the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';
import { startClusterSimulator } from '../../cluster/simulator';

/** A management cluster the tests can use. */
export interface ClusterTestTarget {
  kind: 'simulator' | 'real';
  /** kubeconfig YAML of each identity; admin sets up what the tests need */
  kubeconfigs: { admin: string; provisioner: string; reader: string };
  /** a DataStore the TenantControlPlanes of the tests use */
  dataStore: string;
  kubernetesVersion: string;
  /** how long a TenantControlPlane takes to become Ready, at most */
  readyTimeoutMs: number;
  intervalMs: number;
  /** a unique suffix for the names the tests create */
  suffix: string;
  /** the simulator itself (fault hooks), when the target is one */
  simulator?: any;
  stop(): Promise<void>;
}

function repoRoot(): string {
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, 'deploy', 'rbac'))) {
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('deploy/rbac not found above the working directory');
    dir = parent;
  }
  return dir;
}

/** Applies deploy/rbac and mints short-lived tokens for both identities (TokenRequest). */
async function realTarget(): Promise<ClusterTestTarget> {
  const adminKc = new KubeConfig();
  adminKc.loadFromDefault();
  const admin = new KubernetesClusterClient(adminKc);
  const rbacDir = path.join(repoRoot(), 'deploy', 'rbac');
  const manifests = fs
    .readdirSync(rbacDir)
    .filter(f => f.endsWith('.yaml'))
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(rbacDir, f), 'utf8')).map(d =>
        d.toJS(),
      ),
    );
  const namespaces = new Set<string>(
    manifests.map(m => m.metadata?.namespace).filter(Boolean),
  );
  for (const ns of namespaces) {
    await admin.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      { fieldManager: 'hospital-tenants-tests' },
    );
  }
  for (const m of manifests)
    await admin.apply(m, { fieldManager: 'hospital-tenants-tests' });
  const core = adminKc.makeApiClient(CoreV1Api);
  const cluster = adminKc.getCurrentCluster()!;
  const kubeconfigFor = async (sa: {
    metadata: { name: string; namespace: string };
  }) => {
    const tr = await core.createNamespacedServiceAccountToken({
      name: sa.metadata.name,
      namespace: sa.metadata.namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } } as any,
    });
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'management',
          cluster: {
            server: cluster.server,
            'certificate-authority-data': cluster.caData,
            'insecure-skip-tls-verify': cluster.skipTLSVerify || undefined,
          },
        },
      ],
      users: [{ name: sa.metadata.name, user: { token: tr.status!.token } }],
      contexts: [
        {
          name: 'ctx',
          context: { cluster: 'management', user: sa.metadata.name },
        },
      ],
      'current-context': 'ctx',
    });
  };
  const sa = (re: RegExp) =>
    manifests.find(
      m => m.kind === 'ServiceAccount' && re.test(m.metadata.name),
    );
  return {
    kind: 'real',
    kubeconfigs: {
      admin: adminKc.exportConfig(),
      provisioner: await kubeconfigFor(sa(/provisioner/)),
      reader: await kubeconfigFor(sa(/reader/)),
    },
    dataStore: process.env.HOSPITAL_TENANTS_TEST_DATASTORE ?? 'default',
    kubernetesVersion:
      process.env.HOSPITAL_TENANTS_TEST_K8S_VERSION ?? 'v1.35.7',
    readyTimeoutMs: 8 * 60_000,
    intervalMs: 2000,
    suffix: randomBytes(3).toString('hex'),
    stop: async () => {},
  };
}

/** The target of this run. */
export async function startClusterTestTarget(): Promise<ClusterTestTarget> {
  if (process.env.HOSPITAL_TENANTS_TEST_REAL_CLUSTER === '1') {
    if (!process.env.KUBECONFIG)
      throw new Error('HOSPITAL_TENANTS_TEST_REAL_CLUSTER=1 needs KUBECONFIG');
    return realTarget();
  }
  const sim = await startClusterSimulator({
    readyDelayMs: 300,
    namespaceTerminationMs: 200,
  });
  return {
    kind: 'simulator',
    kubeconfigs: sim.kubeconfigs,
    dataStore: 'postgresql-gold',
    kubernetesVersion: 'v1.35.7',
    readyTimeoutMs: 10_000,
    intervalMs: 50,
    suffix: randomBytes(3).toString('hex'),
    simulator: sim,
    stop: () => sim.stop(),
  };
}

/** A client of the target as one identity. */
export function clientAs(
  target: ClusterTestTarget,
  identity: keyof ClusterTestTarget['kubeconfigs'],
  options: { requestTimeoutMs?: number } = {},
) {
  const kc = new KubeConfig();
  kc.loadFromString(target.kubeconfigs[identity]);
  return new KubernetesClusterClient(kc, options);
}
