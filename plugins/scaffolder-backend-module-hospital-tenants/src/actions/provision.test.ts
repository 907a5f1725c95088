import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';
import { ClusterSimulator } from '@prontuario/upstream-simulators';
import { ProvisioningClusters } from '../clusters';
import {
  allow,
  countRequests,
  countWrites,
  deny,
  fakeCatalogAndEvents,
  mockActionContext,
  recordingAuditor,
  secretValues,
  seedSantaMaria,
  simulatorClusters,
  specInput,
  startSimulator,
  testConfig,
} from '../__testUtils__/harness';
import { createHospitalTenantProvisionAction } from './provision';
import { CREATED_BY_TASK_ANNOTATION } from '../provision/plan';

jest.setTimeout(30_000);

let sim: ClusterSimulator;

beforeAll(async () => {
  sim = await startSimulator();
  // another tenant, owned by Santa Maria, already provisioned
  const plan = await seedSantaMaria(sim);
  // a control plane of a tenant whose workers use a public range
  sim.management.apply(
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'tenant-hospital-externo',
        labels: { 'hospital-tenants.io/tenant': 'hospital-externo' },
      },
    },
    { manager: 'kubectl' },
  );
  const tcp = plan.management.find(o => o.kind === 'TenantControlPlane')!;
  sim.management.apply(
    {
      ...tcp,
      metadata: {
        ...tcp.metadata,
        name: 'hospital-externo',
        namespace: 'tenant-hospital-externo',
        labels: {
          ...tcp.metadata.labels,
          'hospital-tenants.io/tenant': 'hospital-externo',
        },
        annotations: {
          ...tcp.metadata.annotations,
          'hospital-tenants.io/owner': 'group:default/other',
        },
      },
      spec: {
        ...(tcp as any).spec,
        networkProfile: {
          ...(tcp as any).spec.networkProfile,
          loadBalancerSourceRanges: ['200.200.0.0/16'],
        },
      },
    },
    { manager: 'kubectl' },
  );
  // a namespace named like a tenant's that is nobody's
  sim.management.apply(
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'tenant-hospital-avulso' },
    },
    { manager: 'kubectl' },
  );
});

afterAll(async () => {
  await sim?.stop();
});

afterEach(() => {
  sim.faults.clear();
});

function setup(
  options: {
    permissions?: ReturnType<typeof allow>;
    config?: ConfigReader;
    clusters?: ProvisioningClusters;
    ingest?: boolean;
  } = {},
) {
  const fakes = fakeCatalogAndEvents({ ingest: options.ingest });
  const audit = recordingAuditor();
  const action = createHospitalTenantProvisionAction({
    config: options.config ?? testConfig(),
    clusters: options.clusters ?? simulatorClusters(sim),
    catalog: fakes.catalog,
    events: fakes.events,
    permissions: options.permissions ?? allow(),
    auth: mockServices.auth({ pluginId: 'scaffolder' }),
    auditor: audit.auditor,
    logger: mockServices.logger.mock(),
  });
  return { action, ...fakes, audit };
}

const get = (kind: string, name: string, ns?: string) => {
  const [group, plural] = {
    Namespace: ['', 'namespaces'],
    TenantControlPlane: ['kamaji.clastix.io', 'tenantcontrolplanes'],
    Role: ['rbac.authorization.k8s.io', 'roles'],
    RoleBinding: ['rbac.authorization.k8s.io', 'rolebindings'],
    NetworkPolicy: ['networking.k8s.io', 'networkpolicies'],
    ResourceQuota: ['', 'resourcequotas'],
  }[kind]!;
  return sim.management.get(group, plural, ns, name) as any;
};

/** Waits up to 4 s for the namespace to go; returns what is left (undefined when gone). */
async function waitGone(ns: string) {
  await pollUntil(async () => (get('Namespace', ns) ? undefined : true), {
    timeoutMs: 4000,
    intervalMs: 20,
    onTimeout: () => false,
  });
  return get('Namespace', ns);
}

describe('hospital:tenant:provision', () => {
  it('provisions both layers, announces the tenant and outputs no secret', async () => {
    const { action, published, audit } = setup();
    const run = mockActionContext(specInput({ slug: 'hospital-feliz' }), {
      taskId: 'task-happy',
    });
    await action.handler(run.ctx);

    expect(run.outputs).toEqual({
      tenantId: 'hospital-feliz',
      managementNamespace: 'tenant-hospital-feliz',
      controlPlaneEndpoint: expect.stringMatching(/:\d+$/),
      adminKubeconfigSecretName: 'hospital-feliz-admin-kubeconfig',
      entityRef: 'resource:default/hospital-feliz',
    });
    const ns = get('Namespace', 'tenant-hospital-feliz');
    expect(ns.metadata.labels['hospital-tenants.io/tenant']).toBe(
      'hospital-feliz',
    );
    expect(ns.metadata.annotations[CREATED_BY_TASK_ANNOTATION]).toBe(
      'task-happy',
    );
    const tcp = get(
      'TenantControlPlane',
      'hospital-feliz',
      'tenant-hospital-feliz',
    );
    expect(tcp.status.kubernetesResources.version.status).toBe('Ready');
    // the run's last steps: the grant is gone, the namespace is labelled
    for (const kind of ['Role', 'RoleBinding']) {
      expect(
        get(
          kind,
          'hospital-tenants-provisioner-kubeconfig',
          'tenant-hospital-feliz',
        ),
      ).toBeUndefined();
    }
    expect(ns.metadata.labels['hospital-tenants.io/provisioned']).toBe('true');
    expect(run.lines.filter(l => /Revoked|Labelled namespace/.test(l))).toEqual(
      [
        expect.stringContaining(
          'info Revoked RoleBinding tenant-hospital-feliz/hospital-tenants-provisioner-kubeconfig',
        ),
        expect.stringContaining(
          'info Revoked Role tenant-hospital-feliz/hospital-tenants-provisioner-kubeconfig',
        ),
        expect.stringContaining(
          'info Labelled namespace tenant-hospital-feliz hospital-tenants.io/provisioned',
        ),
      ],
    );
    const tenant = sim.tenant('tenant-hospital-feliz', 'hospital-feliz')!;
    const dept: any = tenant.get('', 'namespaces', undefined, 'emergencia');
    expect(dept.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      'restricted',
    );
    expect(
      tenant.list(
        'rbac.authorization.k8s.io',
        'rolebindings',
        'clinica-geral',
      )[0].subjects[0].name,
    ).toContain('hospital:hospital-sao-joao');

    expect(published).toEqual([
      {
        topic: 'hospital-tenants',
        eventPayload: { type: 'tenant.changed', tenantId: 'hospital-feliz' },
      },
    ]);
    expect(audit.events).toHaveLength(1);
    const [event] = audit.events;
    expect(event.options).toMatchObject({
      eventId: 'tenant-provision',
      severityLevel: 'medium',
      meta: {
        actionType: 'create',
        taskId: 'task-happy',
        initiator: 'user:default/ana.platform',
        tenantId: 'hospital-feliz',
      },
    });
    expect(event.outcome).toBe('success');
    expect(event.meta).toMatchObject({
      outcome: 'success',
      tenant: {
        slug: 'hospital-feliz',
        region: 'southamerica-east1',
        departmentCount: 2,
      },
      sizing: { tier: expect.any(String) },
      durationMs: expect.any(Number),
    });
    // free text never reaches the audit trail
    expect(JSON.stringify(audit.events)).not.toContain('Nova Esperan');
    expect(JSON.stringify(audit.events)).not.toContain('Emerg');
    expect(run.lines.some(l => l.includes('Waiting up to'))).toBe(true);

    // no secret anywhere the task leaves a trace
    const secrets = secretValues(sim);
    expect(secrets.length).toBeGreaterThan(5);
    const sinks = JSON.stringify({
      logs: run.lines,
      outputs: run.outputs,
      checkpoints: run.state,
      audit: audit.events.map(e => ({ ...e, error: String(e.error) })),
    });
    for (const secret of secrets) expect(sinks).not.toContain(secret);
    // checkpoints hold only records and public facts
    for (const [key, value] of Object.entries(run.state)) {
      expect(key).toMatch(/^tenant\.hospital-feliz\.attempt\.0\./);
      expect(JSON.stringify(value)).not.toMatch(
        /client-key|client-certificate|token|BEGIN/i,
      );
    }
  });

  it('replays its checkpoints when resumed; another task for the same slug is refused', async () => {
    const { action } = setup();
    const first = mockActionContext(specInput({ slug: 'hospital-repete' }), {
      taskId: 'task-r1',
    });
    await action.handler(first.ctx);

    // the same task resumed with its state: nothing is applied again
    const counter = countRequests(sim);
    const resumed = mockActionContext(specInput({ slug: 'hospital-repete' }), {
      taskId: 'task-r1',
      state: first.state,
    });
    await action.handler(resumed.ctx);
    const replayRequests = counter.total();
    counter.stop();
    expect(resumed.outputs).toEqual(first.outputs);
    // only the pre-checks' five reads (two namespace gets, three
    // control-plane lists); no write
    expect(replayRequests).toBeLessThanOrEqual(5);

    // a new task for the same slug is a new tenant: refused, on the slug,
    // and nothing of the live tenant changes
    const tcpBefore = get(
      'TenantControlPlane',
      'hospital-repete',
      'tenant-hospital-repete',
    );
    const again = mockActionContext(
      specInput({ slug: 'hospital-repete', dailyUsers: 9000 }),
      { taskId: 'task-r2' },
    );
    const error = await action.handler(again.ctx).then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /slug: "hospital-repete" is already used by the namespace tenant-hospital-repete/,
    );
    expect(again.lines.filter(l => /Created|Updated/.test(l))).toEqual([]);
    expect(
      get('TenantControlPlane', 'hospital-repete', 'tenant-hospital-repete')
        .metadata.resourceVersion,
    ).toBe(tcpBefore.metadata.resourceVersion);
    expect(
      get('Namespace', 'tenant-hospital-repete').metadata.annotations[
        CREATED_BY_TASK_ANNOTATION
      ],
    ).toBe('task-r1');
  });

  it('of two runs for one new slug that pass the pre-check together, exactly one wins; the other writes nothing', async () => {
    const { action } = setup();
    // hold both claims (the create-only POST of the namespace) until both
    // runs have passed their pre-checks
    const claims = /^\/api\/v1\/namespaces$/;
    sim.faults.add({ method: 'POST', path: claims, latencyMs: 2000, times: 2 });
    const hitsBefore = sim.faults.hits;
    const runs = [
      { taskId: 'task-sm', ownerGroup: 'group:default/hospital-santa-maria' },
      { taskId: 'task-sj', ownerGroup: 'group:default/hospital-sao-joao' },
    ].map(({ taskId, ownerGroup }) =>
      mockActionContext(specInput({ slug: 'hospital-disputa', ownerGroup }), {
        taskId,
      }),
    );
    const results = await Promise.all(
      runs.map(run =>
        action.handler(run.ctx).then(
          () => ({ run, error: undefined }),
          error => ({ run, error }),
        ),
      ),
    );
    // both reached the claim: both passed the pre-check
    expect(sim.faults.hits - hitsBefore).toBe(2);

    const winners = results.filter(r => !r.error);
    const losers = results.filter(r => r.error);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const [{ run: winner }] = winners;
    const [{ run: loser, error }] = losers;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /slug: "hospital-disputa" was just taken by another provisioning run/,
    );
    expect(loser.lines.filter(l => /Created|Updated|Deleted/.test(l))).toEqual(
      [],
    );

    // everything of the tenant is the winner's, owner included
    const winnerTask = winner === runs[0] ? 'task-sm' : 'task-sj';
    const winnerOwner =
      winner === runs[0]
        ? 'group:default/hospital-santa-maria'
        : 'group:default/hospital-sao-joao';
    const ns = get('Namespace', 'tenant-hospital-disputa');
    expect(ns.metadata.annotations[CREATED_BY_TASK_ANNOTATION]).toBe(
      winnerTask,
    );
    const tcp = get(
      'TenantControlPlane',
      'hospital-disputa',
      'tenant-hospital-disputa',
    );
    expect(tcp.metadata.annotations['hospital-tenants.io/owner']).toBe(
      winnerOwner,
    );
    const loserTask = winnerTask === 'task-sm' ? 'task-sj' : 'task-sm';
    const everything = JSON.stringify(
      sim.management.list('', 'namespaces', undefined),
    );
    expect(everything).not.toContain(loserTask);
    for (const [plural, group] of [
      ['resourcequotas', ''],
      ['limitranges', ''],
      ['roles', 'rbac.authorization.k8s.io'],
      ['rolebindings', 'rbac.authorization.k8s.io'],
      ['networkpolicies', 'networking.k8s.io'],
      ['tenantcontrolplanes', 'kamaji.clastix.io'],
    ]) {
      expect({
        plural,
        objects: JSON.stringify(
          sim.management.list(group, plural, 'tenant-hospital-disputa'),
        ),
      }).not.toEqual({ plural, objects: expect.stringContaining(loserTask) });
    }
    // the loser claimed nothing in its task state either
    expect(
      Object.keys(loser.state).filter(
        k => loser.state[k].status === 'success' && !k.endsWith('.access'),
      ),
    ).toEqual([]);
  });

  it('keeps its claim when resumed after a crash that struck right after it', async () => {
    const { action } = setup();
    // the claim landed, the task crashed before its checkpoint was written
    sim.management.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'tenant-hospital-retomado',
          labels: { 'hospital-tenants.io/tenant': 'hospital-retomado' },
          annotations: { [CREATED_BY_TASK_ANNOTATION]: 'task-crash' },
        },
      },
      { manager: 'hospital-tenants-portal' },
    );
    const run = mockActionContext(specInput({ slug: 'hospital-retomado' }), {
      taskId: 'task-crash',
    });
    await action.handler(run.ctx);
    expect(run.outputs.tenantId).toBe('hospital-retomado');

    // another task finds it taken
    const other = mockActionContext(specInput({ slug: 'hospital-retomado' }), {
      taskId: 'task-other',
    });
    await expect(action.handler(other.ctx)).rejects.toThrow(
      /slug: "hospital-retomado" is already used by the namespace/,
    );
  });

  it('dry run validates, renders and outputs placeholders without any cluster call', async () => {
    const { action, published, audit } = setup();
    const counter = countRequests(sim);
    const run = mockActionContext(specInput({ slug: 'hospital-ensaio' }), {
      isDryRun: true,
    });
    await action.handler(run.ctx);
    expect(counter.total()).toBe(0);
    counter.stop();
    expect(Object.keys(run.outputs).sort()).toEqual([
      'adminKubeconfigSecretName',
      'controlPlaneEndpoint',
      'entityRef',
      'managementNamespace',
      'tenantId',
    ]);
    expect(run.outputs.controlPlaneEndpoint).toContain('dry-run');
    expect(
      run.lines.some(l =>
        l.includes(
          'would apply TenantControlPlane tenant-hospital-ensaio/hospital-ensaio',
        ),
      ),
    ).toBe(true);
    expect(published).toEqual([]);
    expect(audit.events[0].meta).toMatchObject({ outcome: 'dry-run' });
    expect(get('Namespace', 'tenant-hospital-ensaio')).toBeUndefined();
  });

  describe('on failure deletes exactly what it created', () => {
    const before = () =>
      JSON.stringify({
        sm: get(
          'TenantControlPlane',
          'hospital-santa-maria',
          'tenant-hospital-santa-maria',
        )?.metadata.resourceVersion,
        avulso: get('Namespace', 'tenant-hospital-avulso')?.metadata
          .resourceVersion,
      });

    it('a 5xx on the TenantControlPlane', async () => {
      const untouched = before();
      sim.faults.add({
        method: 'PATCH',
        path: '/apis/kamaji.clastix.io/v1alpha1/namespaces/tenant-hospital-falha5xx/',
        status: 503,
      });
      const { action, audit } = setup();
      const run = mockActionContext(specInput({ slug: 'hospital-falha5xx' }), {
        taskId: 't-5xx',
      });
      await expect(action.handler(run.ctx)).rejects.toThrow(
        ServiceUnavailableError,
      );
      expect(await waitGone('tenant-hospital-falha5xx')).toBeUndefined();
      expect(before()).toBe(untouched);
      expect(audit.events[0]).toMatchObject({
        outcome: 'fail',
        meta: {
          outcome: 'fail',
          errorClass: 'ServiceUnavailableError',
          cleanup: { deleted: expect.any(Number) },
        },
      });

      // a retry after cleanup starts clean and succeeds
      sim.faults.clear();
      const retry = mockActionContext(
        specInput({ slug: 'hospital-falha5xx' }),
        { taskId: 't-5xx', state: run.state },
      );
      await action.handler(retry.ctx);
      expect(
        retry.checkpointCalls.some(k =>
          k.startsWith('tenant.hospital-falha5xx.attempt.1.'),
        ),
      ).toBe(true);
      expect(get('Namespace', 'tenant-hospital-falha5xx')).toBeDefined();
      expect(
        retry.lines.some(l =>
          l.includes('Created Namespace tenant-hospital-falha5xx'),
        ),
      ).toBe(true);
    });

    it('a 422 in the tenant cluster', async () => {
      const untouched = before();
      sim.faults.add({
        cluster: 'tenant-hospital-falha422/hospital-falha422',
        method: 'PATCH',
        path: '/apis/networking.k8s.io/',
        status: 422,
        times: 1,
      });
      const { action } = setup();
      const run = mockActionContext(specInput({ slug: 'hospital-falha422' }), {
        taskId: 't-422',
      });
      await expect(action.handler(run.ctx)).rejects.toThrow(InputError);
      expect(await waitGone('tenant-hospital-falha422')).toBeUndefined();
      expect(
        get(
          'TenantControlPlane',
          'hospital-falha422',
          'tenant-hospital-falha422',
        ),
      ).toBeUndefined();
      expect(before()).toBe(untouched);
      expect(
        run.lines.some(l =>
          l.includes(
            'Deleted TenantControlPlane tenant-hospital-falha422/hospital-falha422',
          ),
        ),
      ).toBe(true);
    });

    it('a control plane that never becomes Ready (timeout)', async () => {
      sim.kamaji.hold('tenant-hospital-lento', 'hospital-lento');
      const { action } = setup({
        config: testConfig({
          provisioning: { readyTimeout: { milliseconds: 400 } },
        }),
      });
      const run = mockActionContext(specInput({ slug: 'hospital-lento' }), {
        taskId: 't-slow',
      });
      await expect(action.handler(run.ctx)).rejects.toThrow(
        /did not happen within/,
      );
      sim.kamaji.release('tenant-hospital-lento', 'hospital-lento');
      expect(await waitGone('tenant-hospital-lento')).toBeUndefined();
    });

    it('a request that hangs past the request timeout', async () => {
      sim.faults.add({
        method: 'PATCH',
        path: '/api/v1/namespaces/tenant-hospital-travado/resourcequotas',
        hang: true,
      });
      const clusters = simulatorClusters(sim, 300);
      const { action } = setup({ clusters });
      const run = mockActionContext(specInput({ slug: 'hospital-travado' }), {
        taskId: 't-hang',
      });
      await expect(action.handler(run.ctx)).rejects.toThrow(
        /did not answer in time/,
      );
      expect(await waitGone('tenant-hospital-travado')).toBeUndefined();
    });

    it('keeps what it created when keepOnFailure is set', async () => {
      sim.faults.add({
        method: 'PATCH',
        path: '/apis/kamaji.clastix.io/v1alpha1/namespaces/tenant-hospital-guarda/',
        status: 500,
      });
      const { action, audit } = setup();
      const run = mockActionContext(
        specInput({ slug: 'hospital-guarda', keepOnFailure: true }),
        { taskId: 't-keep' },
      );
      await expect(action.handler(run.ctx)).rejects.toThrow(
        ServiceUnavailableError,
      );
      expect(get('Namespace', 'tenant-hospital-guarda')).toBeDefined();
      expect(audit.events[0].meta).toMatchObject({
        cleanup: { kept: expect.any(Number) },
      });
    });

    it('cancellation during the wait', async () => {
      sim.kamaji.hold('tenant-hospital-cancelado', 'hospital-cancelado');
      const controller = new AbortController();
      const { action, audit } = setup();
      const run = mockActionContext(specInput({ slug: 'hospital-cancelado' }), {
        taskId: 't-cancel',
        signal: controller.signal,
      });
      const done = action.handler(run.ctx);
      await pollUntil(
        async () =>
          get(
            'TenantControlPlane',
            'hospital-cancelado',
            'tenant-hospital-cancelado',
          )
            ? true
            : undefined,
        {
          timeoutMs: 2000,
          intervalMs: 10,
          onTimeout: () => false,
        },
      );
      controller.abort();
      await expect(done).rejects.toThrow();
      sim.kamaji.release('tenant-hospital-cancelado', 'hospital-cancelado');
      expect(await waitGone('tenant-hospital-cancelado')).toBeUndefined();
      expect(audit.events[0].meta).toMatchObject({ outcome: 'cancelled' });
    });

    it('a crash after a write, resumed, then failing: what the crashed run created is still deleted', async () => {
      // run 1 "dies" right after the TenantControlPlane write reached the cluster
      const real = simulatorClusters(sim);
      const crashing: ProvisioningClusters = {
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
      const crashed = mockActionContext(specInput({ slug: 'hospital-queda' }), {
        taskId: 't-crash',
      });
      void setup({ clusters: crashing }).action.handler(crashed.ctx);
      await pollUntil(
        async () =>
          get('TenantControlPlane', 'hospital-queda', 'tenant-hospital-queda')
            ? true
            : undefined,
        {
          timeoutMs: 3000,
          intervalMs: 10,
          onTimeout: () => false,
        },
      );
      expect(
        Object.keys(crashed.state).some(k => k.includes('TenantControlPlane')),
      ).toBe(false);

      // resumed with its state; the tenant layer then fails
      sim.faults.add({
        cluster: 'tenant-hospital-queda/hospital-queda',
        method: 'PATCH',
        path: '/api/v1/namespaces',
        status: 500,
      });
      const resumed = mockActionContext(specInput({ slug: 'hospital-queda' }), {
        taskId: 't-crash',
        state: crashed.state,
      });
      await expect(setup().action.handler(resumed.ctx)).rejects.toThrow(
        ServiceUnavailableError,
      );
      expect(
        resumed.lines.some(l =>
          l.includes(
            'Deleted TenantControlPlane tenant-hospital-queda/hospital-queda',
          ),
        ),
      ).toBe(true);
      expect(await waitGone('tenant-hospital-queda')).toBeUndefined();
    });

    it('fails when the entity never appears, and cleans up', async () => {
      const { action } = setup({
        ingest: false,
        config: testConfig({
          provisioning: { entityTimeout: { milliseconds: 200 } },
        }),
      });
      const run = mockActionContext(
        specInput({ slug: 'hospital-sem-entidade' }),
        { taskId: 't-entity' },
      );
      await expect(action.handler(run.ctx)).rejects.toThrow(
        /resource:default\/hospital-sem-entidade did not appear/,
      );
      expect(await waitGone('tenant-hospital-sem-entidade')).toBeUndefined();
    });
  });

  describe('refuses before any write', () => {
    async function refused(
      input: Record<string, unknown>,
      options: Parameters<typeof setup>[0] = {},
    ) {
      const { action } = setup(options);
      const counter = countWrites(sim);
      const run = mockActionContext(specInput(input as any), {
        taskId: 't-refused',
      });
      const error = await action.handler(run.ctx).then(
        () => undefined,
        e => e,
      );
      const writes = counter.total();
      counter.stop();
      return { error, writes, run };
    }

    it('a user without the permission', async () => {
      const { error, writes } = await refused(
        { slug: 'hospital-negado' },
        { permissions: deny() },
      );
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(writes).toBe(0);
    });

    it.each([
      ['the same owner', 'group:default/hospital-santa-maria'],
      ['another owner', 'group:default/hospital-sao-joao'],
    ])("an existing tenant's slug, with %s (on the slug)", async (_, owner) => {
      const { error, run, writes } = await refused({
        slug: 'hospital-santa-maria',
        ownerGroup: owner,
      });
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /- slug: "hospital-santa-maria" is already used by the namespace tenant-hospital-santa-maria/,
      );
      expect(error.message).not.toMatch(/ownerGroup/);
      expect(writes).toBe(0);
      expect(run.lines.filter(l => /Created|Updated/.test(l))).toEqual([]);
    });

    it("a namespace that is nobody's tenant", async () => {
      const { error, writes } = await refused({ slug: 'hospital-avulso' });
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /slug: "hospital-avulso" is already used by the namespace tenant-hospital-avulso/,
      );
      expect(writes).toBe(0);
    });

    it('a TenantControlPlane named like the slug in another namespace', async () => {
      const { error, writes } = await refused({ slug: 'hospital-externo' });
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/slug: "hospital-externo" is already used/);
      expect(writes).toBe(0);
    });

    it('a slug whose tenant entity exists in the catalog', async () => {
      const fakes = setup();
      fakes.tenants.set('resource:default/hospital-fantasma', {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'hospital-fantasma', namespace: 'default' },
        spec: { type: 'hospital-tenant' },
      });
      const writes = countWrites(sim);
      const run = mockActionContext(specInput({ slug: 'hospital-fantasma' }), {
        taskId: 't-entity',
      });
      const error = await fakes.action.handler(run.ctx).then(
        () => undefined,
        e => e,
      );
      expect(writes.total()).toBe(0);
      writes.stop();
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /slug: "hospital-fantasma" is already used by the catalog entity resource:default\/hospital-fantasma/,
      );
    });

    it("approved CIDRs that overlap another tenant's workers", async () => {
      const { error } = await refused({
        slug: 'hospital-cidr',
        approvedExternalApiCidrs: ['200.200.4.0/24'],
      });
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /approvedExternalApiCidrs\[0\]: "200.200.4.0\/24" overlaps 200.200.0.0\/16, a worker range of tenant "hospital-externo"/,
      );
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      [
        'an invalid slug',
        { slug: 'Hospital_X' },
        /slug: must be a DNS-1035 label/,
      ],
      [
        'a slug starting with a digit',
        { slug: '9hospital' },
        /slug: must be a DNS-1035 label/,
      ],
      ['a reserved slug', { slug: 'kamaji' }, /slug: "kamaji" is reserved/],
      [
        'a kube- slug',
        { slug: 'kube-hospital' },
        /slug: "kube-hospital" is reserved/,
      ],
      [
        'an over-long slug',
        { slug: `h${'a'.repeat(60)}` },
        /slug: must be at most 56 characters/,
      ],
      [
        'an over-long name',
        { displayName: 'H'.repeat(101) },
        /displayName: must be at most 100 characters/,
      ],
      [
        'a control character in the name',
        { displayName: 'Hospital\u0007X' },
        /displayName: must not contain control characters/,
      ],
      [
        'a newline (YAML injection) in the name',
        { displayName: 'Hospital\nkind: Secret' },
        /displayName: must not contain control characters/,
      ],
      [
        'a template expression in the name',
        { displayName: '${{ secrets.backstageToken }}' },
        /displayName: must not contain template syntax/,
      ],
      [
        'a nunjucks expression in a department',
        { departments: ['{{ 7*7 }}'] },
        /departments\[0\]: must not contain template syntax/,
      ],
      [
        'a YAML tag in the name',
        { displayName: '!!python/object:os.system' },
        /displayName: must not start with a YAML indicator/,
      ],
      [
        'a YAML anchor in a department',
        { departments: ['*alias'] },
        /departments\[0\]: must not start with a YAML indicator/,
      ],
      [
        'a negative user count',
        { dailyUsers: -5 },
        /dailyUsers: must be at least 1/,
      ],
      [
        'an absurd user count',
        { dailyUsers: 1e12 },
        /dailyUsers: must be at most 100000/,
      ],
      [
        'a fractional user count',
        { dailyUsers: 10.5 },
        /dailyUsers: must be a whole number/,
      ],
      [
        'an unknown group',
        { ownerGroup: 'group:default/nao-existe' },
        /ownerGroup: group:default\/nao-existe does not exist in the catalog/,
      ],
      [
        'a group without a cluster group',
        { ownerGroup: 'group:default/no-cluster-group' },
        /ownerGroup: group:default\/no-cluster-group has no hospital-tenants.io\/cluster-group annotation/,
      ],
      [
        'a user as owner',
        { ownerGroup: 'user:default/ana.platform' },
        /ownerGroup: must be a group entity ref/,
      ],
      [
        'an unsupported version',
        { kubernetesVersion: 'v1.20.0' },
        /kubernetesVersion: must be one of the supported versions/,
      ],
      [
        'an unknown region',
        { region: 'marte-1' },
        /region: must be one of the configured regions/,
      ],
      [
        'a malformed CIDR',
        { approvedExternalApiCidrs: ['300.1.2.0/24'] },
        /approvedExternalApiCidrs\[0\]: "300.1.2.0\/24" must be an IPv4 CIDR/,
      ],
      [
        'a private CIDR',
        { approvedExternalApiCidrs: ['10.9.0.0/16'] },
        /approvedExternalApiCidrs\[0\]: "10.9.0.0\/16" overlaps the private or reserved range/,
      ],
      [
        'a CIDR overlapping worker ranges',
        { approvedExternalApiCidrs: ['0.0.0.0/0'] },
        /approvedExternalApiCidrs\[0\]/,
      ],
      [
        'a cluster group given as input',
        { clusterGroup: 'system:masters' },
        /clusterGroup: is not an input/,
      ],
      ['an unknown field', { token: 'abc' }, /unknown field\(s\) token/],
      [
        'no departments',
        { departments: [] },
        /departments: must list at least one department/,
      ],
    ])('%s', async (_name, input, message) => {
      const { error, writes, run } = await refused({
        slug: 'hospital-entrada',
        ...input,
      });
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(writes).toBe(0);
      expect(
        Object.keys(run.state).filter(
          k => run.state[k].status === 'success' && !k.endsWith('.access'),
        ),
      ).toEqual([]);
    });
  });

  it('refuses a namespace that someone else made for the slug, and leaves it alone', async () => {
    sim.management.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'tenant-hospital-conflito',
          labels: {
            'hospital-tenants.io/tenant': 'hospital-conflito',
            'pod-security.kubernetes.io/enforce': 'privileged',
          },
        },
      },
      { manager: 'kubectl' },
    );
    const { action } = setup();
    const run = mockActionContext(specInput({ slug: 'hospital-conflito' }), {
      taskId: 't-409',
    });
    await expect(action.handler(run.ctx)).rejects.toThrow(
      /slug: "hospital-conflito" is already used by the namespace/,
    );
    // it existed before: left alone
    expect(get('Namespace', 'tenant-hospital-conflito')).toBeDefined();
  });
});
