import { NotAllowedError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import {
  BREAK_GLASS_GROUP,
  parseHospitalTenantsConfigOrThrow,
  planTenantProvisioning,
  PROVISIONED_LABEL,
  PROVISIONED_LABEL_FIELD_MANAGER,
  provisionerKubeconfigAccess,
  PROVISIONER_KUBECONFIG_ACCESS,
  pollUntil,
  validateTenantSpec,
} from '@prontuario/plugin-hospital-tenants-node';
import { ClusterSimulator } from '@prontuario/upstream-simulators';
import { ProvisioningClusters } from '../clusters';
import {
  allow,
  clientFrom,
  fakeCatalogAndEvents,
  hospitalTenantsBlock,
  mockActionContext,
  recordingAuditor,
  seedSantaMaria,
  simulatorClusters,
  specInput,
  startSimulator,
  testConfig,
} from '../__testUtils__/harness';
import { createHospitalTenantProvisionAction } from '../actions/provision';
import { sweepStaleGrants } from '../janitor/grantJanitor';

jest.setTimeout(60_000);

let sim: ClusterSimulator;

beforeAll(async () => {
  sim = await startSimulator();
  await seedSantaMaria(sim);
});

afterAll(async () => {
  await sim?.stop();
});

function action(clusters?: ProvisioningClusters) {
  const fakes = fakeCatalogAndEvents();
  return createHospitalTenantProvisionAction({
    config: testConfig(),
    clusters: clusters ?? simulatorClusters(sim),
    catalog: fakes.catalog,
    events: fakes.events,
    permissions: allow(),
    auth: mockServices.auth({ pluginId: 'scaffolder' }),
    auditor: recordingAuditor().auditor,
    logger: mockServices.logger.mock(),
  });
}

const provisioner = () => clientFrom(sim.kubeconfigs.provisioner);
const RBAC = 'rbac.authorization.k8s.io';
const grantOf = (namespace: string) =>
  ['roles', 'rolebindings'].map(plural =>
    sim.management.get(RBAC, plural, namespace, PROVISIONER_KUBECONFIG_ACCESS),
  );
const namespaceOf = (slug: string) =>
  sim.management.get('', 'namespaces', undefined, `tenant-${slug}`) as any;

async function waitFor<T>(what: string, fn: () => T | undefined) {
  return pollUntil(async () => fn() || undefined, {
    timeoutMs: 20_000,
    intervalMs: 10,
    onTimeout: () => {
      throw new Error(`timed out waiting for ${what}`);
    },
  });
}

/** Provisioning clusters whose management writes hang (a crash) once `when` matches. */
function crashingWhen(when: (o: any, opts: any) => boolean) {
  const real = simulatorClusters(sim);
  const clusters: ProvisioningClusters = {
    tenant: real.tenant,
    management: () => {
      const m = real.management();
      return Object.assign(Object.create(m), {
        apply: async (o: any, opts: any) => {
          if (when(o, opts)) return new Promise(() => {});
          return m.apply(o, opts);
        },
      });
    },
  };
  return clusters;
}

function planOf(slug: string) {
  const config = parseHospitalTenantsConfigOrThrow(hospitalTenantsBlock());
  const spec = validateTenantSpec(specInput({ slug }), config);
  spec.clusterGroup = 'hospital:hospital-sao-joao';
  return planTenantProvisioning(spec, config);
}

describe('the one-way gate of a provisioned tenant', () => {
  const slug = 'hospital-portao';
  const namespace = `tenant-${slug}`;

  beforeAll(async () => {
    const run = mockActionContext(specInput({ slug }), { taskId: 't-gate' });
    await action().handler(run.ctx);
  });

  it('ends the run with no grant and the namespace labelled', () => {
    expect(grantOf(namespace)).toEqual([undefined, undefined]);
    expect(namespaceOf(slug).metadata.labels[PROVISIONED_LABEL]).toBe('true');
  });

  it('the provisioner cannot read the admin kubeconfig', async () => {
    await expect(
      provisioner().readTenantAdminKubeconfig(namespace, slug),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      provisioner().get('v1', 'Secret', `${slug}-admin-kubeconfig`, namespace),
    ).rejects.toThrow(NotAllowedError);
  });

  it('the provisioner cannot create the grant again, nor any Role or RoleBinding there', async () => {
    for (const o of provisionerKubeconfigAccess({ slug })) {
      await expect(
        provisioner().apply(o, { fieldManager: 'hospital-tenants-portal' }),
      ).rejects.toThrow(
        /hospital-tenants-provisioned-no-grant.*the provisioner may not grant itself anything/,
      );
    }
    expect(grantOf(namespace)).toEqual([undefined, undefined]);
    // the same grant is still accepted in a namespace without the label
    const fresh = 'hospital-sem-rotulo';
    await provisioner().apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: `tenant-${fresh}` },
      },
      { fieldManager: 'test' },
    );
    for (const o of provisionerKubeconfigAccess({ slug: fresh })) {
      await provisioner().apply(o, { fieldManager: 'test' });
    }
    expect(grantOf(`tenant-${fresh}`).every(Boolean)).toBe(true);
  });

  it('the provisioner cannot remove or change the label, nor delete the namespace', async () => {
    const client = provisioner();
    await expect(
      client.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        { fieldManager: PROVISIONED_LABEL_FIELD_MANAGER },
      ),
    ).rejects.toThrow(/only be removed or changed by the break-glass group/);
    await expect(
      client.apply(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: namespace, labels: { [PROVISIONED_LABEL]: 'no' } },
        },
        { fieldManager: PROVISIONED_LABEL_FIELD_MANAGER },
      ),
    ).rejects.toThrow(/break-glass/);
    await expect(client.delete('v1', 'Namespace', namespace)).rejects.toThrow(
      /may not delete its namespace/,
    );
    // nor swap the CA the portal trusts the tenant API server with
    await expect(
      client.apply(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: namespace,
            annotations: {
              'hospital-tenants.io/api-server-ca':
                Buffer.from('not the tenant CA').toString('base64'),
            },
          },
        },
        { fieldManager: 'hospital-tenants-api-server-ca' },
      ),
    ).rejects.toThrow(/api-server-ca of a provisioned tenant/);
    expect(namespaceOf(slug).metadata.labels[PROVISIONED_LABEL]).toBe('true');
    expect(namespaceOf(slug).metadata.deletionTimestamp).toBeUndefined();
  });

  it("the provisioner cannot change or delete the tenant API server's authentication configuration", async () => {
    const live: any = sim.management.get(
      '',
      'configmaps',
      namespace,
      'hospital-tenants-authentication',
    );
    expect(live.data['config.yaml']).toContain(`hospital-tenants:${slug}`);
    const { managedFields: _m, ...metadata } = live.metadata;
    // the same content converges (day two)
    await provisioner().apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: live.data },
      { fieldManager: 'hospital-tenants-portal' },
    );
    await expect(
      provisioner().apply(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: metadata.name, namespace },
          data: {
            'config.yaml': live.data['config.yaml'].replace(
              `hospital-tenants:${slug}`,
              'hospital-tenants:any',
            ),
          },
        },
        { fieldManager: 'hospital-tenants-portal', force: true },
      ),
    ).rejects.toThrow(/authentication configuration may not change/);
    await expect(
      provisioner().delete('v1', 'ConfigMap', metadata.name, namespace),
    ).rejects.toThrow(/authentication configuration may not change/);
  });

  it('only the break-glass group may remove the label (not even cluster-admin without it)', () => {
    const patch = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'tenant-hospital-santa-maria' },
    };
    expect(() =>
      sim.management.apply(patch, {
        manager: PROVISIONED_LABEL_FIELD_MANAGER,
        user: sim.users.admin,
      }),
    ).toThrow(/break-glass/);
    sim.management.apply(patch, {
      manager: PROVISIONED_LABEL_FIELD_MANAGER,
      user: {
        name: 'oncall@hospital-tenants',
        groups: ['system:masters', BREAK_GLASS_GROUP, 'system:authenticated'],
      },
    });
    expect(
      namespaceOf('hospital-santa-maria').metadata.labels[PROVISIONED_LABEL],
    ).toBeUndefined();
  });
});

describe('pinned control plane specs', () => {
  const slug = 'hospital-intruso';
  const namespace = `tenant-${slug}`;
  const tcpOf = () =>
    planOf(slug).management.find(o => o.kind === 'TenantControlPlane') as any;

  beforeAll(async () => {
    await provisioner().apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      { fieldManager: 'test' },
    );
  });

  it("the provisioner cannot point a control plane at another tenant's schema or user", async () => {
    const tcp = tcpOf();
    expect(tcp.spec.dataStoreSchema).toBe('tenant_hospital_intruso');
    for (const field of ['dataStoreSchema', 'dataStoreUsername']) {
      await expect(
        provisioner().apply(
          {
            ...tcp,
            spec: { ...tcp.spec, [field]: 'tenant_hospital_santa_maria' },
          },
          { fieldManager: 'test' },
        ),
      ).rejects.toThrow(
        new RegExp(`spec.${field} must be tenant_hospital_intruso`),
      );
    }
    // nor leave them to Kamaji's default
    const { dataStoreSchema: _s, dataStoreUsername: _u, ...unset } = tcp.spec;
    await expect(
      provisioner().apply({ ...tcp, spec: unset }, { fieldManager: 'test' }),
    ).rejects.toThrow(/dataStoreSchema must be/);
  });

  it('the provisioner cannot add a host path, a volume or a container', async () => {
    const tcp = tcpOf();
    const withDeployment = (extra: object) => ({
      ...tcp,
      spec: {
        ...tcp.spec,
        controlPlane: {
          ...tcp.spec.controlPlane,
          deployment: { ...tcp.spec.controlPlane.deployment, ...extra },
        },
      },
    });
    const planned = tcp.spec.controlPlane.deployment;
    const host = { name: 'host', hostPath: { path: '/' } };
    const attempts: Array<[object, RegExp]> = [
      [
        { additionalVolumes: [...planned.additionalVolumes, host] },
        /may mount no volume but the ConfigMap/,
      ],
      [
        {
          additionalVolumes: [
            { ...planned.additionalVolumes[0], hostPath: { path: '/' } },
          ],
        },
        /may mount no volume but the ConfigMap/,
      ],
      [
        {
          additionalContainers: [{ name: 'sidecar', image: 'busybox:1.36' }],
        },
        /may not run additional containers/,
      ],
      [
        {
          additionalInitContainers: [{ name: 'init', image: 'busybox:1.36' }],
        },
        /may not run additional containers/,
      ],
      [
        {
          additionalVolumeMounts: {
            apiServer: [
              ...planned.additionalVolumeMounts.apiServer,
              { name: 'hospital-tenants-authentication', mountPath: '/host' },
            ],
          },
        },
        /may mount no volume but the ConfigMap/,
      ],
      [
        {
          additionalVolumeMounts: {
            ...planned.additionalVolumeMounts,
            scheduler: [
              {
                name: 'hospital-tenants-authentication',
                mountPath: '/etc/hospital-tenants/authentication',
              },
            ],
          },
        },
        /may mount no volume but the ConfigMap/,
      ],
      [
        {
          extraArgs: {
            apiServer: [
              ...planned.extraArgs.apiServer,
              '--authorization-mode=AlwaysAllow',
            ],
          },
        },
        /takes no extra arguments but the authentication configuration/,
      ],
      [
        { extraArgs: { ...planned.extraArgs, controllerManager: ['--v=9'] } },
        /takes no extra arguments/,
      ],
    ];
    for (const [extra, refusal] of attempts) {
      await expect(
        provisioner().apply(withDeployment(extra), { fieldManager: 'test' }),
      ).rejects.toThrow(refusal);
    }
    expect(
      sim.management.get(
        'kamaji.clastix.io',
        'tenantcontrolplanes',
        namespace,
        slug,
      ),
    ).toBeUndefined();
    // what the plan renders is accepted, and Kamaji reconciles it
    await provisioner().apply(tcp, { fieldManager: 'test' });
    await waitFor(
      'the control plane to be Ready',
      () =>
        (
          sim.management.get(
            'kamaji.clastix.io',
            'tenantcontrolplanes',
            namespace,
            slug,
          ) as any
        )?.status?.kubernetesResources?.version?.status === 'Ready',
    );
  });
});

describe('crashed runs and the grant janitor', () => {
  it('a run crashed after the grant and never resumed leaves a grant that the janitor removes', async () => {
    const slug = 'hospital-abandonado';
    const namespace = `tenant-${slug}`;
    const crashed = mockActionContext(specInput({ slug }), {
      taskId: 't-abandoned',
    });
    // the run dies on its first write after the grant
    void action(crashingWhen(o => o.kind === 'ResourceQuota')).handler(
      crashed.ctx,
    );
    await waitFor('the grant', () => grantOf(namespace).every(Boolean));

    const audit = recordingAuditor();
    const logger = mockServices.logger.mock();
    const sweep = (now: number) =>
      sweepStaleGrants({
        management: provisioner(),
        maxAgeMs: 17 * 60_000,
        logger,
        auditor: audit.auditor,
        now: () => now,
      });
    // younger than the provisioning timeout: left to its run
    const young = await sweep(Date.now());
    expect(young.revoked).toEqual([]);
    expect(young.inProgress).toEqual([
      `${namespace}/RoleBinding`,
      `${namespace}/Role`,
    ]);
    expect(grantOf(namespace).every(Boolean)).toBe(true);

    // older: removed, logged and audited
    const old = await sweep(Date.now() + 18 * 60_000);
    expect(old.revoked).toEqual([
      `${namespace}/RoleBinding`,
      `${namespace}/Role`,
    ]);
    expect(grantOf(namespace)).toEqual([undefined, undefined]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `Revoked the stale kubeconfig grant RoleBinding ${namespace}/${PROVISIONER_KUBECONFIG_ACCESS} of tenant ${slug}`,
      ),
    );
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({
      options: {
        eventId: 'tenant-grant-revoked',
        severityLevel: 'high',
        meta: { tenantId: slug, namespace, objects: ['RoleBinding', 'Role'] },
      },
      outcome: 'success',
    });
    // the janitor touches nothing but grants
    expect(namespaceOf(slug)?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('a crash mid-run that resumes ends with no grant', async () => {
    const slug = 'hospital-retomado';
    const namespace = `tenant-${slug}`;
    const crashed = mockActionContext(specInput({ slug }), {
      taskId: 't-resumed',
    });
    // the run dies right after the TenantControlPlane write
    const real = simulatorClusters(sim);
    const clusters: ProvisioningClusters = {
      tenant: real.tenant,
      management: () => {
        const m = real.management();
        return Object.assign(Object.create(m), {
          apply: async (o: any, opts: any) => {
            const r = await m.apply(o, opts);
            if (o.kind === 'TenantControlPlane') return new Promise(() => {});
            return r;
          },
        });
      },
    };
    void action(clusters).handler(crashed.ctx);
    await waitFor('the control plane', () =>
      sim.management.get(
        'kamaji.clastix.io',
        'tenantcontrolplanes',
        namespace,
        slug,
      ),
    );
    expect(grantOf(namespace).every(Boolean)).toBe(true);

    const resumed = mockActionContext(specInput({ slug }), {
      taskId: 't-resumed',
      state: crashed.state,
    });
    await action().handler(resumed.ctx);
    expect(grantOf(namespace)).toEqual([undefined, undefined]);
    expect(namespaceOf(slug).metadata.labels[PROVISIONED_LABEL]).toBe('true');
    await expect(
      provisioner().readTenantAdminKubeconfig(namespace, slug),
    ).rejects.toThrow(NotAllowedError);
  });

  it('a crash between revoking the grant and labelling resumes to the label', async () => {
    const slug = 'hospital-quase';
    const namespace = `tenant-${slug}`;
    const crashed = mockActionContext(specInput({ slug }), {
      taskId: 't-almost',
    });
    void action(
      crashingWhen(
        (_o, opts) => opts?.fieldManager === PROVISIONED_LABEL_FIELD_MANAGER,
      ),
    ).handler(crashed.ctx);
    await waitFor('the revoked grant checkpoint', () =>
      Object.keys(crashed.state).some(k => k.endsWith('.grant-revoked')),
    );
    expect(grantOf(namespace)).toEqual([undefined, undefined]);
    expect(
      namespaceOf(slug).metadata.labels[PROVISIONED_LABEL],
    ).toBeUndefined();

    const resumed = mockActionContext(specInput({ slug }), {
      taskId: 't-almost',
      state: crashed.state,
    });
    await action().handler(resumed.ctx);
    expect(grantOf(namespace)).toEqual([undefined, undefined]);
    expect(namespaceOf(slug).metadata.labels[PROVISIONED_LABEL]).toBe('true');
  });
});
