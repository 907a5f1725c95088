/**
 * Kubernetes plugin module: the hospital platform's management cluster, read
 * with the portal's reader identity from `hospitalTenants.clusters.management`.
 *
 * @packageDocumentation
 */

export { kubernetesModuleHospitalTenants as default } from './module';
export {
  ManagementClusterSupplier,
  managementClusterDetails,
  MANAGEMENT_CLUSTER_NAME,
} from './ManagementClusterSupplier';
