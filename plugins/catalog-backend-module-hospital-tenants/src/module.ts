import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';
import { HospitalTenantEntityProvider } from './provider/HospitalTenantEntityProvider';

const SCHEDULE_KEY = 'catalog.providers.hospitalTenants.schedule';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 5 },
};

/**
 * Hospital tenants in the catalog, from their TenantControlPlanes on the
 * management cluster (read with the reader identity of
 * `hospitalTenants.clusters.management`).
 */
export const catalogModuleHospitalTenants = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'hospital-tenants',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({ catalog, config, logger, scheduler, events }) {
        let schedule = DEFAULT_SCHEDULE;
        if (config.has(SCHEDULE_KEY)) {
          try {
            schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig(SCHEDULE_KEY),
            );
          } catch (error) {
            throw new InputError(
              `Invalid schedule at ${SCHEDULE_KEY}: ${
                (error as Error).message
              }`,
            );
          }
        }
        const reader = KubernetesClusterClient.fromConfig(config, {
          identity: 'reader',
          logger,
        });
        catalog.addEntityProvider(
          new HospitalTenantEntityProvider({
            reader,
            logger,
            schedule: scheduler.createScheduledTaskRunner(schedule),
            events,
          }),
        );
      },
    });
  },
});
