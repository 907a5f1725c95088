import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { ManagementClusterSupplier } from './ManagementClusterSupplier';

/**
 * Adds the management cluster (Kamaji control planes), read with the
 * portal's reader identity, to the Kubernetes plugin.
 */
export const kubernetesModuleHospitalTenants = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'hospital-tenants',
  register(reg) {
    reg.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ clusterSupplier, config }) {
        clusterSupplier.addClusterSupplier(async ({ getDefault }) =>
          ManagementClusterSupplier.create({
            config,
            others: await getDefault(),
          }),
        );
      },
    });
  },
});
