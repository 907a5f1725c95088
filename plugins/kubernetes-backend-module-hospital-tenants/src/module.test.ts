import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  ClusterSimulator,
  loadReferenceTenants,
  seedTenants,
  startClusterSimulator,
} from '@prontuario/upstream-simulators';
import { ConfigReader } from '@backstage/config';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  KubernetesClusterClient,
  ManagementClusterAccess,
  managementClusterAccessFromConfig,
  managementClusterReaderServiceRef,
} from '@prontuario/plugin-hospital-tenants-node';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import kubernetesModuleHospitalTenants, {
  managementClusterDetails,
} from './index';

jest.setTimeout(60_000);

const repoRoot = path.resolve(__dirname, '../../..');

const rootLogs: string[] = [];
const recordingRootLogger = createServiceFactory({
  service: coreServices.rootLogger,
  deps: {},
  factory() {
    const make = (): LoggerService => {
      const log = (level: string) => (message: string) => {
        rootLogs.push(`${level} ${message}`);
      };
      return {
        error: log('error'),
        warn: log('warn'),
        info: log('info'),
        debug: log('debug'),
        child: () => make(),
      };
    };
    return make();
  },
});

/** The reader identity as the service ref provides it, from config. */
function readerFrom(management: object): ManagementClusterAccess {
  return managementClusterAccessFromConfig(
    new ConfigReader({ hospitalTenants: { clusters: { management } } }),
    { identity: 'reader' },
  );
}

describe('kubernetes-backend-module-hospital-tenants', () => {
  let sim: ClusterSimulator;
  let outDir: string;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenants-k8s-'));
    sim = await startClusterSimulator({ readyDelayMs: 20, outDir });
    await seedTenants(sim, await loadReferenceTenants(repoRoot));
  });

  afterAll(async () => {
    await sim?.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  async function start(
    readerKubeconfig?: string,
    options: { reader?: ManagementClusterAccess } = {},
  ) {
    return startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleHospitalTenants,
        recordingRootLogger,
        ...(options.reader
          ? [
              createServiceFactory({
                service: managementClusterReaderServiceRef,
                deps: {},
                factory: () => options.reader!,
              }),
            ]
          : []),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [{ type: 'config', clusters: [] }],
            },
            ...(readerKubeconfig
              ? {
                  hospitalTenants: {
                    clusters: {
                      management: {
                        reader: { kubeconfigPath: readerKubeconfig },
                      },
                    },
                  },
                }
              : {}),
          },
        }),
      ],
    });
  }

  afterEach(() => {
    rootLogs.length = 0;
  });

  it('starts without cluster configuration, with one warning, and lists only its own clusters', async () => {
    const backend = await start();
    try {
      expect(rootLogs.filter(l => l.startsWith('warn '))).toEqual([
        expect.stringMatching(
          /^warn hospitalTenants\.clusters\.management\.reader is not configured/,
        ),
      ]);
      const clusters = await request(backend.server)
        .get('/api/kubernetes/clusters')
        .set('Authorization', mockCredentials.user.header());
      expect(clusters.status).toBe(200);
      expect(clusters.body.items).toEqual([]);
    } finally {
      await backend.stop();
    }
  });

  it('reads the management cluster through managementClusterReaderServiceRef', async () => {
    const client = KubernetesClusterClient.forTenantCluster(
      sim.kubeconfigs.reader,
    );
    const backend = await start(undefined, {
      reader: { identity: 'reader', configured: true, client: () => client },
    });
    try {
      const clusters = await request(backend.server)
        .get('/api/kubernetes/clusters')
        .set('Authorization', mockCredentials.user.header());
      expect(clusters.status).toBe(200);
      expect(clusters.body.items).toEqual([
        expect.objectContaining({
          name: 'management',
          authProvider: 'serviceAccount',
        }),
      ]);
      expect(rootLogs.filter(l => l.startsWith('warn '))).toEqual([]);
    } finally {
      await backend.stop();
    }
  });

  it('adds the management cluster to the Kubernetes plugin, keeping the token in the backend', async () => {
    const backend = await start(sim.files!.reader);
    try {
      const clusters = await request(backend.server)
        .get('/api/kubernetes/clusters')
        .set('Authorization', mockCredentials.user.header());
      expect(clusters.status).toBe(200);
      expect(clusters.body.items).toEqual([
        expect.objectContaining({
          name: 'management',
          authProvider: 'serviceAccount',
        }),
      ]);
      // the reader's token stays in the backend
      expect(JSON.stringify(clusters.body)).not.toContain(
        sim.kubeconfigs.reader.match(/token: (\S+)/)![1],
      );
    } finally {
      await backend.stop();
    }
  });

  it("reaches a tenant's control-plane pods the way the Kubernetes plugin does, and only as a reader", async () => {
    const details = await managementClusterDetails(
      readerFrom({ reader: { kubeconfigPath: sim.files!.reader } }),
    );
    expect(details.url).toBe(sim.url);
    expect(Buffer.from(details.caData!, 'base64').toString()).toBe(sim.caPem);

    const agent = new https.Agent({
      ca: Buffer.from(details.caData!, 'base64'),
    });
    const get = (urlPath: string) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        https
          .get(
            `${details.url}${urlPath}`,
            {
              agent,
              headers: {
                authorization: `Bearer ${details.authMetadata.serviceAccountToken}`,
              },
            },
            res => {
              let text = '';
              res.on('data', chunk => (text += chunk));
              res.on('end', () =>
                resolve({ status: res.statusCode!, body: JSON.parse(text) }),
              );
            },
          )
          .on('error', reject);
      });

    // What the Kubernetes plugin lists for the entity's kubernetes-id, in
    // the entity's backstage.io/kubernetes-namespace.
    const pods = await get(
      '/api/v1/namespaces/tenant-hospital-sao-joao/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dhospital-sao-joao',
    );
    expect(pods.status).toBe(200);
    expect(pods.body.items.length).toBeGreaterThan(0);
    for (const pod of pods.body.items) {
      expect(pod.metadata.namespace).toBe('tenant-hospital-sao-joao');
    }
    // Never pods across namespaces or outside the tenant namespaces.
    for (const denied of [
      '/api/v1/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dhospital-sao-joao',
      '/api/v1/namespaces/kube-system/pods',
      '/api/v1/namespaces/backstage/pods',
    ]) {
      expect([denied, (await get(denied)).status]).toEqual([denied, 403]);
    }
    // The same identity never reads Secrets.
    const secrets = await get(
      '/api/v1/namespaces/tenant-hospital-sao-joao/secrets',
    );
    expect(secrets.status).toBe(403);
  });

  it('takes the reader token from a token file, as on a real cluster', async () => {
    const token = sim.kubeconfigs.reader.match(/token: (\S+)/)![1];
    const tokenFile = path.join(outDir, 'reader.token.test');
    fs.writeFileSync(tokenFile, `${token}\n`);
    const details = await managementClusterDetails(
      readerFrom({
        url: sim.url,
        caFile: sim.files!.ca,
        reader: { tokenFile },
      }),
    );
    expect(details.url).toBe(sim.url);
    // the file's trailing newline is not part of the token
    expect(details.authMetadata.serviceAccountToken).toBe(token);
  });

  it('refuses to start without a reader identity', async () => {
    await expect(
      start(path.join(outDir, 'missing.kubeconfig')),
    ).rejects.toThrow(
      /hospitalTenants\.clusters\.management\.reader\.kubeconfigPath: cannot read/,
    );
  });
});
