import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ManagementClusterAccess,
  managementClusterProvisionerServiceRef,
  managementClusterReaderServiceRef,
} from '@prontuario/plugin-hospital-tenants-node';
import { ClusterSimulator, startClusterSimulator } from '../cluster/simulator';

jest.setTimeout(60_000);

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

/** Starts a backend whose one plugin takes both refs, and returns what it got. */
async function start(data: object) {
  const got: {
    reader?: ManagementClusterAccess;
    provisioner?: ManagementClusterAccess;
  } = {};
  const plugin = createBackendPlugin({
    pluginId: 'probe',
    register(reg) {
      reg.registerInit({
        deps: {
          reader: managementClusterReaderServiceRef,
          provisioner: managementClusterProvisionerServiceRef,
        },
        async init(deps) {
          Object.assign(got, deps);
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      plugin,
      recordingRootLogger,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, ...got };
}

describe('management cluster service refs', () => {
  let sim: ClusterSimulator;
  let outDir: string;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenants-refs-'));
    sim = await startClusterSimulator({ readyDelayMs: 20, outDir });
  });

  afterAll(async () => {
    await sim?.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  afterEach(() => {
    rootLogs.length = 0;
  });

  it('keep the backend up without configuration: one warning per identity, a 503 on use', async () => {
    const { backend, reader, provisioner } = await start({});
    try {
      expect(rootLogs.filter(l => l.startsWith('warn '))).toEqual([
        expect.stringMatching(
          /^warn hospitalTenants\.clusters\.management\.reader is not configured/,
        ),
        expect.stringMatching(
          /^warn hospitalTenants\.clusters\.management\.provisioner is not configured/,
        ),
      ]);
      expect(reader!.configured).toBe(false);
      const error = (() => {
        try {
          return reader!.client();
        } catch (e) {
          return e;
        }
      })();
      expect(ServiceUnavailableError.is(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /hospitalTenants\.clusters\.management\.reader/,
      );
      expect(provisioner!.configured).toBe(false);
    } finally {
      await backend.stop();
    }
  });

  it('give each identity its own client, built once, that reaches the cluster as that identity', async () => {
    const { backend, reader, provisioner } = await start({
      hospitalTenants: {
        clusters: {
          management: {
            reader: { kubeconfigPath: sim.files!.reader },
            provisioner: { kubeconfigPath: sim.files!.provisioner },
          },
        },
        provisioning: { requestTimeout: { seconds: 5 } },
      },
    });
    try {
      expect(rootLogs.filter(l => l.startsWith('warn '))).toEqual([]);
      expect(reader!.identity).toBe('reader');
      expect(reader!.client()).toBe(reader!.client());
      expect(provisioner!.client()).not.toBe(reader!.client());
      expect(reader!.client().server).toBe(sim.url);
      // the reader never reads Secrets; the provisioner may list namespaces
      await expect(
        reader!.client().list('v1', 'Secret', { namespace: 'default' }),
      ).rejects.toThrow();
      await expect(
        provisioner!.client().list('v1', 'Namespace'),
      ).resolves.toEqual(expect.any(Array));
    } finally {
      await backend.stop();
    }
  });

  it('refuse a provisioner request timeout that is not a duration', async () => {
    await expect(
      start({
        hospitalTenants: {
          clusters: {
            management: {
              provisioner: { kubeconfigPath: sim.files!.provisioner },
            },
          },
          provisioning: { requestTimeout: 'soon' },
        },
      }),
    ).rejects.toThrow(/hospitalTenants\.provisioning\.requestTimeout/);
  });
});
