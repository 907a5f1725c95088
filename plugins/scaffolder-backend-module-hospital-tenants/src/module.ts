import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { tenantProvisionPermission } from '@prontuario/plugin-hospital-tenants-common';
import { managementClusterProvisionerServiceRef } from '@prontuario/plugin-hospital-tenants-node';
import { createHospitalTenantProvisionAction } from './actions/provision';
import { createHospitalTenantRenderAction } from './actions/render';
import { provisioningClustersOf } from './clusters';
import { scheduleGrantJanitor } from './janitor/scheduleGrantJanitor';

/**
 * The scaffolder actions `hospital:tenant:provision` and
 * `hospital:tenant:render`, the permission they enforce
 * (`hospital-tenants.tenant.provision`), and the scheduled janitor that
 * removes run-scoped kubeconfig grants left by crashed runs.
 *
 * @public
 */
export const scaffolderModuleHospitalTenants = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'hospital-tenants',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        provisioner: managementClusterProvisionerServiceRef,
      },
      async init({
        scaffolder,
        config,
        logger,
        scheduler,
        auditor,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
        events,
        provisioner,
      }) {
        permissionsRegistry.addPermissions([tenantProvisionPermission]);
        scaffolder.addActions(
          createHospitalTenantProvisionAction({
            config,
            clusters: provisioningClustersOf(provisioner),
            catalog,
            events,
            permissions,
            auth,
            auditor,
            logger,
          }),
          createHospitalTenantRenderAction({ config, catalog, permissions }),
        );
        await scheduleGrantJanitor({
          config,
          scheduler,
          provisioner,
          logger,
          auditor,
        });
      },
    });
  },
});
