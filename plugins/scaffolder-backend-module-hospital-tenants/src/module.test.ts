import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { managementClusterProvisionerServiceRef } from '@prontuario/plugin-hospital-tenants-node';
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
    } finally {
      await backend.stop();
      await sim.stop();
    }
  });
});
