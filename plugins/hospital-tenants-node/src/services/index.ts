export {
  managementClusterAccessFromConfig,
  managementClusterProvisionerServiceRef,
  managementClusterReaderServiceRef,
} from './managementClusterServiceRefs';
export type { ManagementClusterAccess } from './managementClusterServiceRefs';
