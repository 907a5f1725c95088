export {
  managementClusterAccessFromConfig,
  managementClusterProvisionerServiceRef,
  managementClusterReaderServiceRef,
} from './managementClusterServiceRefs';
export type { ManagementClusterAccess } from './managementClusterServiceRefs';
export {
  tenantClusterReaderAccess,
  tenantClusterReaderServiceRef,
} from './tenantClusterReaderServiceRef';
export type { TenantClusterReaderAccess } from './tenantClusterReaderServiceRef';
