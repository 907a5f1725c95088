/*
 * The cluster simulator against the real schemas and the reference's
 * examples (shared/reference/EXTERNAL-APIS.md §1.4, §1.5): what it stores
 * validates strictly, and has the shape the reference records.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import {
  loadKamajiCrdSchemas,
  validateKubernetesObject,
} from '@prontuario/tenant-schema-validators';
import { ClusterSimulator, startClusterSimulator } from './simulator';

// the first simulator of a process compiles Kamaji's schema; CI machines are slow
jest.setTimeout(60_000);

type Obj = Record<string, any>;

// the JSON examples of shared/reference/EXTERNAL-APIS.md §1.4 and §1.5, copied
const reference: { tenantControlPlane: Obj[]; dataStore: Obj[] } = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '__fixtures__', 'referenceKamajiExamples.json'),
    'utf8',
  ),
);

/** Every object path (arrays count as leaves) of a JSON value. */
function paths(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return [prefix];
  return Object.entries(value).flatMap(([k, v]) => paths(v, `${prefix}.${k}`));
}

describe('the cluster simulator, against the real schemas and the reference', () => {
  let sim: ClusterSimulator;
  const kamaji = loadKamajiCrdSchemas();
  const [tcpExample, minimalApply] = reference.tenantControlPlane;
  const [dataStoreExample] = reference.dataStore;

  beforeAll(async () => {
    sim = await startClusterSimulator({ readyDelayMs: 100 });
  });

  afterAll(async () => {
    await sim.stop();
  });

  it('reads the reference examples, which validate against the CRDs', () => {
    expect(tcpExample.kind).toBe('TenantControlPlane');
    expect(minimalApply.status).toBeUndefined();
    expect(kamaji.validate(tcpExample)).toEqual({ valid: true, errors: [] });
    expect(kamaji.validate(dataStoreExample)).toEqual({
      valid: true,
      errors: [],
    });
  });

  it('accepts the reference objects and stores a Ready TenantControlPlane that validates strictly', async () => {
    const { name, namespace } = tcpExample.metadata;
    sim.management.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      { manager: 'test' },
    );
    const { status: _status, ...withoutStatus } = tcpExample;
    const {
      uid: _u,
      generation: _g,
      resourceVersion: _r,
      creationTimestamp: _c,
      ...metadata
    } = tcpExample.metadata;
    // as the provisioner, whose control planes deploy/rbac/controlplane-pin.yaml
    // pins to the DataStore schema and user derived from their namespace
    const pinned = namespace.replace(/-/g, '_');
    const created = sim.management.apply(
      {
        ...withoutStatus,
        metadata,
        spec: {
          ...withoutStatus.spec,
          dataStoreSchema: pinned,
          dataStoreUsername: pinned,
        },
      },
      { manager: 'test', user: sim.users.provisioner },
    );
    expect(created.created).toBe(true);

    const stored = await new Promise<Obj>((resolve, reject) => {
      const deadline = Date.now() + 10_000;
      const check = () => {
        const t = sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          namespace,
          name,
        );
        if (t?.status?.kubernetesResources?.version?.status === 'Ready')
          resolve(t);
        else if (Date.now() > deadline) reject(new Error('not Ready'));
        else setTimeout(check, 25);
      };
      check();
    });
    expect(kamaji.validate(stored)).toEqual({ valid: true, errors: [] });
    // every status field the reference shows is there (values differ: endpoint, checksums, times)
    const missing = paths(tcpExample.status, '.status').filter(
      p => !paths(stored.status, '.status').includes(p),
    );
    expect(missing).toEqual([]);
    // and the spec defaults match what the reference shows the API server returns
    expect(stored.spec.controlPlane.deployment.registrySettings).toEqual(
      tcpExample.spec.controlPlane.deployment.registrySettings,
    );
    expect(stored.spec.kubernetes.admissionControllers).toEqual(
      tcpExample.spec.kubernetes.admissionControllers,
    );
    expect(stored.spec.addons.konnectivity).toEqual(
      tcpExample.spec.addons.konnectivity,
    );
    expect(stored.spec.networkProfile).toEqual(
      expect.objectContaining({
        serviceCidrs: ['10.96.0.0/16'],
        podCidrs: ['10.244.0.0/16'],
        dnsServiceIPs: ['10.96.0.10'],
      }),
    );

    // the minimal apply body of the reference is a valid first apply too
    const other = structuredClone(minimalApply);
    other.metadata = {
      ...other.metadata,
      name: 'northgate',
      namespace: 'tenant-northgate',
    };
    sim.management.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'tenant-northgate' },
      },
      { manager: 'test' },
    );
    expect(sim.management.apply(other, { manager: 'test' }).created).toBe(true);
  });

  it('creates control-plane objects that validate against the Kubernetes schemas', async () => {
    const namespace = tcpExample.metadata.namespace;
    const objects = [
      ...sim.management.list('', 'pods', namespace),
      ...sim.management.list('apps', 'deployments', namespace),
      ...sim.management.list('apps', 'replicasets', namespace),
      ...sim.management.list('', 'services', namespace),
      ...sim.management.list('', 'secrets', namespace),
      sim.management.get('', 'namespaces', undefined, namespace)!,
    ];
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) {
      const result = await validateKubernetesObject(object);
      expect([object.kind, object.metadata.name, result]).toEqual([
        object.kind,
        object.metadata.name,
        { valid: true, errors: [] },
      ]);
    }
  });

  it('serves watches that client-node reads', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigs.reader);
    const seen: string[] = [];
    let abort: { abort(): void } | undefined;
    const done = new Promise<void>(resolve => {
      new Watch(kc)
        .watch(
          '/apis/kamaji.clastix.io/v1alpha1/tenantcontrolplanes',
          {},
          (type, obj) => {
            seen.push(`${type} ${obj.metadata.name}`);
            if (seen.length === 2) resolve();
          },
          () => undefined,
        )
        .then(controller => {
          abort = controller;
        });
    });
    await done;
    abort?.abort();
    expect(seen).toEqual([
      'ADDED northgate',
      `ADDED ${tcpExample.metadata.name}`,
    ]);
  });

  it('serves DataStores that validate and carry the reference status fields', () => {
    const stored = sim.management.get(
      'kamaji.clastix.io',
      'datastores',
      undefined,
      'postgresql-gold',
    )!;
    expect(kamaji.validate(stored)).toEqual({ valid: true, errors: [] });
    expect(stored.spec.endpoints).toEqual(dataStoreExample.spec.endpoints);
    expect(Object.keys(stored.status).sort()).toEqual(
      Object.keys(dataStoreExample.status).sort(),
    );
    expect(stored.status.usedBy).toEqual([
      `${tcpExample.metadata.namespace}/${tcpExample.metadata.name}`,
    ]);
  });
});
