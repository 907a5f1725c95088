import {
  coreServices,
  createServiceFactory,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  managementClusterProvisionerServiceRef,
  provisionerKubeconfigAccess,
} from '@prontuario/plugin-hospital-tenants-node';
import { ClusterSimulator } from '@prontuario/upstream-simulators';
import {
  FAST_PROVISIONING,
  fakeCatalogAndEvents,
  hospitalTenantsBlock,
  mockActionContext,
  provisionerAccess,
  simulatorClusters,
  specInput,
  startSimulator,
} from './__testUtils__/harness';
import scaffolderModule from './index';

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

/** What the module scheduled on the scheduler service. */
const scheduled: SchedulerServiceTaskInvocationDefinition[] = [];
const recordingScheduler = createServiceFactory({
  service: coreServices.scheduler,
  deps: {},
  factory: () =>
    ({
      scheduleTask: async (task: SchedulerServiceTaskInvocationDefinition) => {
        scheduled.push(task);
      },
    } as unknown as SchedulerService),
});

/** Starts the module alone and returns the actions it registers. */
async function startModule(options: { withClusters?: ClusterSimulator } = {}) {
  const actions: TemplateAction<any, any, any>[] = [];
  const fakes = fakeCatalogAndEvents();
  const backend = await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions: (...a: TemplateAction<any, any, any>[]) =>
            actions.push(...a),
        },
      ],
    ],
    features: [
      scaffolderModule,
      recordingRootLogger,
      recordingScheduler,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => fakes.catalog,
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => fakes.events,
      }),
      mockServices.permissions.factory(),
      ...(options.withClusters
        ? [
            createServiceFactory({
              service: managementClusterProvisionerServiceRef,
              deps: {},
              factory: () =>
                provisionerAccess(simulatorClusters(options.withClusters!)),
            }),
          ]
        : []),
      mockServices.rootConfig.factory({
        data: {
          hospitalTenants: {
            ...hospitalTenantsBlock(),
            provisioning: FAST_PROVISIONING,
          },
        },
      }),
    ],
  });
  const action = (id: string) => actions.find(a => a.id === id)!;
  return { backend, action };
}

describe('scaffolderModuleHospitalTenants', () => {
  afterEach(() => {
    rootLogs.length = 0;
    scheduled.length = 0;
  });

  it('starts without cluster configuration, with one warning; provisioning then answers 503 and rendering works', async () => {
    const { backend, action } = await startModule();
    try {
      expect(rootLogs.filter(l => l.startsWith('warn '))).toEqual([
        expect.stringMatching(
          /^warn hospitalTenants\.clusters\.management\.provisioner is not configured/,
        ),
      ]);
      const provision = mockActionContext(
        specInput({ slug: 'hospital-sem-cluster' }),
      );
      const error = await action('hospital:tenant:provision')
        .handler(provision.ctx)
        .catch(e => e);
      expect(ServiceUnavailableError.is(error)).toBe(true);
      // nothing to sweep without a management cluster
      expect(scheduled).toEqual([]);
      expect(error.message).toMatch(
        /hospitalTenants\.clusters\.management\.provisioner/,
      );

      const render = mockActionContext(
        specInput({ slug: 'hospital-sem-cluster' }),
      );
      await action('hospital:tenant:render').handler(render.ctx);
      expect(render.outputs.entityRef).toBe(
        'resource:default/hospital-sem-cluster',
      );
    } finally {
      await backend.stop();
    }
  });

  it('provisions through managementClusterProvisionerServiceRef', async () => {
    const sim = await startSimulator();
    const { backend, action } = await startModule({ withClusters: sim });
    try {
      expect(rootLogs.filter(l => l.startsWith('warn '))).toEqual([]);
      const run = mockActionContext(
        specInput({ slug: 'hospital-pelo-servico' }),
      );
      await action('hospital:tenant:provision').handler(run.ctx);
      expect(run.outputs).toMatchObject({
        tenantId: 'hospital-pelo-servico',
        entityRef: 'resource:default/hospital-pelo-servico',
      });
      expect(
        sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          'tenant-hospital-pelo-servico',
          'hospital-pelo-servico',
        ),
      ).toBeDefined();

      // the grant janitor: one global task, every 5 minutes by default
      expect(scheduled).toEqual([
        expect.objectContaining({
          id: 'hospital-tenants-grant-janitor',
          scope: 'global',
          frequency: { milliseconds: 5 * 60_000 },
        }),
      ]);
      // a sweep leaves a young grant to its run, and nothing else breaks
      const grant = ['roles', 'rolebindings'] as const;
      for (const o of provisionerKubeconfigAccess({ slug: 'hospital-jovem' })) {
        if (o.kind === 'Role')
          sim.management.apply(
            {
              apiVersion: 'v1',
              kind: 'Namespace',
              metadata: {
                name: 'tenant-hospital-jovem',
                labels: { 'hospital-tenants.io/tenant': 'hospital-jovem' },
              },
            },
            { manager: 'test' },
          );
        sim.management.apply(o, { manager: 'test' });
      }
      await scheduled[0].fn(new AbortController().signal as any);
      for (const plural of grant) {
        expect(
          sim.management.get(
            'rbac.authorization.k8s.io',
            plural,
            'tenant-hospital-jovem',
            'hospital-tenants-provisioner-kubeconfig',
          ),
        ).toBeDefined();
      }
    } finally {
      await backend.stop();
      await sim.stop();
    }
  });
});
