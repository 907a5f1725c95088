/*
 * One plan: `yarn render-tenant` prints exactly what `hospital:tenant:provision`
 * applies for the same spec. The CLI runs as a real process; the action runs
 * against the cluster simulator and every object it sends to a server-side
 * apply is recorded.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { TARGET_CLUSTER_ANNOTATION } from '@prontuario/plugin-hospital-tenants-common';
import {
  KubernetesClusterClient,
  KubernetesObject,
  API_SERVER_CA_ANNOTATION,
  parseRunScopedGrantHeader,
  PROVISIONED_LABEL,
  provisionedLabelPatch,
} from '@prontuario/plugin-hospital-tenants-node';
import { ClusterSimulator } from '@prontuario/upstream-simulators';
import {
  allow,
  clientFrom,
  FIXTURE_CONFIG_FILE,
  mockActionContext,
  recordingAuditor,
  startSimulator,
  testConfig,
} from '../__testUtils__/harness';
import { CREATED_BY_TASK_ANNOTATION } from '../provision/plan';
import { createHospitalTenantProvisionAction } from './provision';

// a real CLI process per spec and three provisioning runs on a loaded machine
jest.setTimeout(120_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const ORG_FILE = path.join(REPO_ROOT, 'examples', 'org.yaml');
const SPEC_DIR = path.join(REPO_ROOT, 'examples', 'tenants');
const CLI = path.join(
  path.dirname(
    require.resolve('@prontuario/plugin-hospital-tenants-node/package.json'),
  ),
  'src',
  'bin',
  'render-tenant.ts',
);
const SPECS = fs
  .readdirSync(SPEC_DIR)
  .filter(f => f.endsWith('.yaml'))
  .sort();

interface Applied {
  target: string;
  object: KubernetesObject;
}

/** Cluster access that records every object sent to a server-side apply. */
function recordingClusters(sim: ClusterSimulator) {
  const applied: Applied[] = [];
  const record = (client: KubernetesClusterClient, target: string) => {
    const apply = client.apply.bind(client);
    client.apply = (async (object: KubernetesObject, options: any) => {
      applied.push({ target, object: structuredClone(object) });
      return apply(object, options);
    }) as KubernetesClusterClient['apply'];
    return client;
  };
  const management = record(
    clientFrom(sim.kubeconfigs.provisioner),
    'management-cluster',
  );
  return {
    applied,
    clusters: {
      management: () => management,
      tenant: async (ns: string, name: string, opts?: any) =>
        record(
          await management.tenantCluster(ns, name, opts),
          'tenant-cluster',
        ),
    },
  };
}

/** The catalog of examples/org.yaml, plus the tenant entity once announced. */
function orgCatalog() {
  const entities = parseAllDocuments(fs.readFileSync(ORG_FILE, 'utf8'))
    .map(d => d.toJS() as Entity)
    .filter(Boolean);
  const tenants = new Set<string>();
  const catalog = {
    async getEntityByRef(ref: string) {
      const [kind, rest] = ref.toLocaleLowerCase('en-US').split(':');
      const [namespace, name] = rest.split('/');
      if (kind === 'resource' && tenants.has(name)) {
        return {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: { name, namespace },
        };
      }
      return entities.find(
        e =>
          e.kind.toLocaleLowerCase('en-US') === kind &&
          (e.metadata.namespace ?? 'default') === namespace &&
          e.metadata.name === name,
      );
    },
  } as unknown as CatalogService;
  const events: EventsService = {
    async publish(params) {
      tenants.add((params.eventPayload as { tenantId: string }).tenantId);
    },
    async subscribe() {},
  };
  return { catalog, events };
}

function withoutRunAnnotation(object: KubernetesObject): KubernetesObject {
  const { [CREATED_BY_TASK_ANNOTATION]: _task, ...annotations } =
    object.metadata.annotations ?? {};
  return { ...object, metadata: { ...object.metadata, annotations } };
}

async function renderTenant(specFile: string): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      CLI,
      specFile,
      '--config',
      FIXTURE_CONFIG_FILE,
      '--org',
      ORG_FILE,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, PROJECT_CWD: REPO_ROOT } },
  );
  expect(stderr).toBe('');
  return stdout;
}

describe('yarn render-tenant and hospital:tenant:provision', () => {
  let sim: ClusterSimulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });

  afterAll(async () => {
    await sim.stop();
  });

  it.each(SPECS)(
    'print and apply the same objects for examples/tenants/%s',
    async file => {
      const specFile = path.join(SPEC_DIR, file);
      const printed = await renderTenant(specFile);

      const { applied, clusters } = recordingClusters(sim);
      const action = createHospitalTenantProvisionAction({
        config: testConfig(),
        clusters,
        ...orgCatalog(),
        permissions: allow(),
        auth: mockServices.auth({ pluginId: 'scaffolder' }),
        auditor: recordingAuditor().auditor,
        logger: mockServices.logger.mock(),
      });
      const run = mockActionContext(parse(fs.readFileSync(specFile, 'utf8')), {
        taskId: `parity-${file}`,
      });
      await action.handler(run.ctx);

      const documents = parseAllDocuments(printed)
        .map(d => d.toJS() as KubernetesObject | null)
        .filter((o): o is KubernetesObject => o !== null)
        .map(object => ({
          target: object.metadata.annotations![TARGET_CLUSTER_ANNOTATION],
          object,
        }));
      const grant = parseRunScopedGrantHeader(printed);
      expect(grant.map(g => g.object.kind)).toEqual(['Role', 'RoleBinding']);
      expect(documents.length).toBeGreaterThan(10);

      const isGrant = (a: Applied) =>
        grant.some(
          g =>
            g.target === a.target &&
            g.object.kind === a.object.kind &&
            g.object.metadata.namespace === a.object.metadata.namespace &&
            g.object.metadata.name === a.object.metadata.name,
        );
      const actionApplied = applied.map(a => ({
        target: a.target,
        object: withoutRunAnnotation(a.object),
      }));
      // the one-way gate: the run's last apply labels the namespace
      const isGate = (a: Applied) =>
        a.object.kind === 'Namespace' &&
        Object.keys(a.object.metadata.labels ?? {}).join() ===
          PROVISIONED_LABEL;
      expect(printed).toContain(`labelling the Namespace ${PROVISIONED_LABEL}`);
      const gates = actionApplied.filter(isGate);
      expect(gates).toHaveLength(1);
      expect(gates[0]).toMatchObject({
        target: 'management-cluster',
        object: provisionedLabelPatch(
          documents[0].object.metadata.name.replace(/^tenant-/, ''),
        ),
      });
      expect(actionApplied[actionApplied.length - 1]).toEqual(
        actionApplied.find(isGate),
      );
      // the tenant API server's CA, published before the grant goes
      const isCaPublish = (a: Applied) =>
        a.object.kind === 'Namespace' &&
        Object.keys(a.object.metadata.annotations ?? {}).join() ===
          API_SERVER_CA_ANNOTATION;
      expect(printed).toContain(API_SERVER_CA_ANNOTATION);
      expect(actionApplied.filter(isCaPublish)).toHaveLength(1);
      // the documents: every other object, in the order the action applies them
      expect(
        actionApplied.filter(a => !isGrant(a) && !isGate(a) && !isCaPublish(a)),
      ).toEqual(documents);
      // the header: the run-scoped grant, exactly as the action applies it
      expect(actionApplied.filter(isGrant)).toEqual(grant);
    },
  );
});
