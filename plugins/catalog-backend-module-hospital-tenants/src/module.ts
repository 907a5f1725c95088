import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { managementClusterReaderServiceRef } from '@prontuario/plugin-hospital-tenants-node';
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
 * `hospitalTenants.clusters.management`, through
 * `managementClusterReaderServiceRef`). Without that configuration the
 * backend still starts (the service ref logs one warning) and the provider
 * is not installed: tenant entities appear once the reader is configured.
 *
 * @public
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
        management: managementClusterReaderServiceRef,
      },
      async init({ catalog, config, logger, scheduler, events, management }) {
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
        if (!management.configured) {
          // the service ref has warned once: nothing to ingest until configured
          return;
        }
        catalog.addEntityProvider(
          new HospitalTenantEntityProvider({
            reader: management.client(),
            logger,
            schedule: scheduler.createScheduledTaskRunner(schedule),
            events,
          }),
        );
      },
    });
  },
});
