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
  provisionerKubeconfigAccess,
  PROVISIONER_KUBECONFIG_ACCESS,
} from './kubeconfigAccess';
