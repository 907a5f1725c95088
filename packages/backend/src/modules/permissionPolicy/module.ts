import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { HospitalTenantsPermissionPolicy } from './HospitalTenantsPermissionPolicy';

/**
 * The portal's permission policy: platform engineers may do everything;
 * hospital users see only their own tenant (see
 * {@link HospitalTenantsPermissionPolicy}).
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'hospital-tenants-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          HospitalTenantsPermissionPolicy.fromConfig(config, { userInfo }),
        );
      },
    });
  },
});
