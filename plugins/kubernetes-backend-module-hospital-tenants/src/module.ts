import { createBackendModule } from '@backstage/backend-plugin-api';
import { kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { managementClusterReaderServiceRef } from '@prontuario/plugin-hospital-tenants-node';
import { ManagementClusterSupplier } from './ManagementClusterSupplier';

/**
 * Adds the management cluster (Kamaji control planes), read with the
 * portal's reader identity (`managementClusterReaderServiceRef`), to the
 * Kubernetes plugin. Without that configuration the backend still starts
 * (the service ref logs one warning) and the Kubernetes plugin keeps only
 * the clusters of its own configuration.
 *
 * @public
 */
export const kubernetesModuleHospitalTenants = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'hospital-tenants',
  register(reg) {
    reg.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        reader: managementClusterReaderServiceRef,
      },
      async init({ clusterSupplier, reader }) {
        if (!reader.configured) return;
        clusterSupplier.addClusterSupplier(async ({ getDefault }) =>
          ManagementClusterSupplier.create({
            reader,
            others: await getDefault(),
          }),
        );
      },
    });
  },
});
