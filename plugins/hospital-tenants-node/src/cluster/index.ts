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
  DEFAULT_PROVISIONER_SERVICE_ACCOUNT,
  provisionerKubeconfigAccess,
  PROVISIONER_KUBECONFIG_ACCESS,
} from './kubeconfigAccess';
