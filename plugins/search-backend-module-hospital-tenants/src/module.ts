import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { HospitalTenantCollatorFactory } from './collator/HospitalTenantCollatorFactory';
import { TenantApiSource } from './collator/TenantApiSource';
import { readSchedule } from './config';

/**
 * Indexes every hospital tenant as a `hospital-tenant` search document, on
 * `search.collators.hospitalTenants.schedule`.
 *
 * @public
 */
export const searchModuleHospitalTenantsCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'hospital-tenants-collator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({
        config,
        logger,
        auth,
        discovery,
        scheduler,
        catalog,
        indexRegistry,
      }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(readSchedule(config)),
          factory: HospitalTenantCollatorFactory.fromSource(
            new TenantApiSource({ auth, discovery, catalog, logger }),
          ),
        });
      },
    });
  },
});
