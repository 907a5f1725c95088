import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { isMemberOf } from './isMemberOf';

/**
 * Adds the catalog permission rule the portal's policy needs beyond the
 * catalog's own: `IS_MEMBER_OF` (see {@link isMemberOf}).
 */
export default createBackendModule({
  pluginId: 'catalog',
  moduleId: 'hospital-tenants-visibility',
  register(reg) {
    reg.registerInit({
      deps: { permissionsRegistry: coreServices.permissionsRegistry },
      async init({ permissionsRegistry }) {
        permissionsRegistry.addPermissionRules([isMemberOf]);
      },
    });
  },
});
