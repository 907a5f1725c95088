export {
  KubernetesClusterClient,
  isTenantControlPlaneReady,
} from './KubernetesClusterClient';
export type {
  ApplyOptions,
  ClusterObject,
  ReadyzResult,
  TenantControlPlaneProgress,
  WaitOptions,
} from './KubernetesClusterClient';
export { managementKubeConfig } from './clusterConfig';
export type { ClusterIdentity } from './clusterConfig';
export type { KubernetesStatus } from './errors';
export {
  BREAK_GLASS_GROUP,
  DEFAULT_PROVISIONER_SERVICE_ACCOUNT,
  DEFAULT_READER_SERVICE_ACCOUNT,
  TENANT_READER_ACCESS,
  PROVISIONED_LABEL,
  PROVISIONED_LABEL_FIELD_MANAGER,
  provisionedLabelPatch,
  provisionerKubeconfigAccess,
  PROVISIONER_KUBECONFIG_ACCESS,
} from './kubeconfigAccess';
export {
  API_SERVER_CA_ANNOTATION,
  API_SERVER_CA_FIELD_MANAGER,
  MANAGEMENT_USERNAME_PREFIX,
  TENANT_CHECKER_SERVICE_ACCOUNT,
  TENANT_CHECKER_USERNAME,
  TENANT_ISOLATION_READER,
  TENANT_ISOLATION_READER_RULES,
  tenantAudience,
} from './tenantReaderIdentity';
