import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
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
      },
      async init({ policy, config }) {
        policy.setPolicy(HospitalTenantsPermissionPolicy.fromConfig(config));
      },
    });
  },
});
