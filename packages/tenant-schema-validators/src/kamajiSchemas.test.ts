import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kamajiCrdDir } from './kamajiCrdDir';
import { loadKamajiCrdSchemas } from './kamajiSchemas';
import { validateKubernetesObject } from './kubernetesSchemas';

// The Kamaji CRDs are read from where kamajiCrdDir() finds them; a missing
// folder fails this suite instead of skipping it.
const schemas = loadKamajiCrdSchemas();

const minimalTcp = {
  apiVersion: 'kamaji.clastix.io/v1alpha1',
  kind: 'TenantControlPlane',
  metadata: { name: 'stmarys', namespace: 'tenant-stmarys' },
  spec: {
    dataStore: 'postgresql-gold',
    controlPlane: {
      deployment: { replicas: 2 },
      service: { serviceType: 'LoadBalancer' },
    },
    kubernetes: { version: 'v1.35.7', kubelet: {} },
    networkProfile: { port: 6443 },
    addons: {
      coreDNS: {},
      kubeProxy: {},
      konnectivity: { server: { port: 8132 } },
    },
  },
};

describe('loadKamajiCrdSchemas', () => {
  it('reads the CRDs from the resolved folder', () => {
    expect(schemas.dir).toBe(kamajiCrdDir());
    expect(schemas.apiVersions).toEqual({
      TenantControlPlane: 'kamaji.clastix.io/v1alpha1',
      DataStore: 'kamaji.clastix.io/v1alpha1',
    });
  });

  it('accepts the minimal apply body from the reference', () => {
    expect(schemas.validate(minimalTcp)).toEqual({ valid: true, errors: [] });
  });

  it('rejects the brief TenantControlPlane sketch on its known errors', () => {
    const brief = {
      apiVersion: 'kamaji.clastix.io/v1alpha1',
      kind: 'TenantControlPlane',
      metadata: { name: 'real-hospital-portugues', namespace: 'kamaji-system' },
      spec: {
        controlPlane: {
          deployment: {
            replicas: 2,
            resources: { apiServer: { cpu: '500m', memory: '1Gi' } },
          },
        },
        dataStore: { driver: 'etcd', endpoints: ['etcd-0:2379'] },
        kubernetes: {
          version: 'v1.28.0',
          admissionControllers: ['NamespaceLifecycle', 'PodSecurityPolicy'],
        },
        resources: { requests: { cpu: '1' } },
      },
    };
    const { valid, errors } = schemas.validate(brief);
    expect(valid).toBe(false);
    expect(errors).toEqual(
      expect.arrayContaining([
        'spec.controlPlane.deployment.resources.apiServer: must NOT have additional properties (cpu)',
        'spec.dataStore: must be string',
        "spec.kubernetes: must have required property 'kubelet'",
        'spec: must NOT have additional properties (resources)',
        "spec.controlPlane: must have required property 'service'",
      ]),
    );
  });

  it('rejects unknown fields anywhere the CRD does not preserve them', () => {
    const withTypo = JSON.parse(JSON.stringify(minimalTcp));
    withTypo.spec.networkProfile.loadBalancerSourceRange = ['10.0.0.0/8'];
    expect(schemas.validate(withTypo).errors).toEqual([
      'spec.networkProfile: must NOT have additional properties (loadBalancerSourceRange)',
    ]);
    expect(schemas.validate({ ...minimalTcp, kind: 'Deployment' }).valid).toBe(
      false,
    );
  });

  it('fails clearly when the folder is missing', () => {
    const missing = path.join(os.tmpdir(), 'no-kamaji-crds-here');
    expect(() => loadKamajiCrdSchemas(missing)).toThrow(
      /The Kamaji CRDs are not in .*no-kamaji-crds-here.*scripts\/kamaji-crds.sh/,
    );
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kamaji-'));
    try {
      expect(() => loadKamajiCrdSchemas(empty)).toThrow(
        /KAMAJI_CRD_DIR to a folder holding kamaji.clastix.io_tenantcontrolplanes.yaml/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('validateKubernetesObject', () => {
  it('validates built-in kinds with kubernetes-models', async () => {
    await expect(
      validateKubernetesObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'x', labels: { a: 'b' } },
      }),
    ).resolves.toEqual({ valid: true, errors: [] });
    const bad = await validateKubernetesObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x' },
      spec: { podSelector: {}, policyTypes: 'Ingress' },
    });
    expect(bad.valid).toBe(false);
    expect(bad.errors.join()).toMatch(/policyTypes/);
    await expect(
      validateKubernetesObject({
        apiVersion: 'v9',
        kind: 'Nope',
        metadata: { name: 'x' },
      }),
    ).resolves.toMatchObject({ valid: false });
  });
});
