import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { HospitalGroupDirectory } from './HospitalGroupDirectory';
import { HospitalTenantsPermissionPolicy } from './HospitalTenantsPermissionPolicy';

/**
 * The portal's permission policy: platform engineers, finance and hospital
 * users, fail-closed (see {@link HospitalTenantsPermissionPolicy}).
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'hospital-tenants-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ policy, config, catalog, auth, logger }) {
        const directory = new HospitalGroupDirectory({ catalog, auth, logger });
        policy.setPolicy(
          HospitalTenantsPermissionPolicy.fromConfig(config, {
            hospitalGroups: () => directory.list(),
          }),
        );
      },
    });
  },
});
