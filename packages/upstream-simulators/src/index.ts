/**
 * Local stand-ins for the upstream systems of the hospital-tenants portal,
 * speaking their real wire formats. This part: the management cluster (with
 * a simulated Kamaji) and every tenant's own API server, over HTTPS with a
 * CA generated at start, strict validation, server-side apply, RBAC from
 * deploy/rbac and fault hooks; and a real OpenID Connect provider with the
 * example org's people. Dev and test only.
 *
 * @packageDocumentation
 */

export { startClusterSimulator } from './cluster/simulator';
export type {
  ClusterSimulator,
  ClusterSimulatorOptions,
  FaultInjector,
  FaultRule,
  SimulatorKubeconfigs,
} from './cluster/simulator';
export { SimulatedCluster } from './cluster/cluster';
export type {
  WatchEvent,
  WriteOptions,
  ClusterTimings,
} from './cluster/cluster';
export { KamajiSimulation } from './cluster/kamaji';
export type { KamajiOptions } from './cluster/kamaji';
export type { UserInfo } from './cluster/rbac';
export { loadReferenceTenants, seedTenants } from './cluster/seed';
export type { SeedTenant } from './cluster/seed';
export {
  startIdentityProvider,
  LOCAL_PORTAL_CLIENT,
} from './identity/provider';
export type {
  IdentityProvider,
  IdentityProviderClient,
  IdentityProviderOptions,
} from './identity/provider';
export {
  loadOrgPeople,
  loadExamplePeople,
  REFUSED_TEST_ACCOUNTS,
  CLUSTER_GROUP_ANNOTATION,
} from './identity/people';
export type { IdentityPerson } from './identity/people';
export { signInThroughBrowser } from './identity/testBrowser';
export { startCostSimulator } from './cost/server';
export type {
  CostSimulator,
  CostSimulatorKind,
  CostSimulatorOptions,
} from './cost/server';
export { CostModel, REFERENCE_COSTS } from './cost/model';
export type { CostModelOptions } from './cost/model';
export { startPrometheusSimulator } from './prometheus/simulator';
export type {
  PrometheusSimulator,
  PrometheusSimulatorOptions,
} from './prometheus/simulator';
export { referenceTraffic, SIMULATED_BUCKETS } from './prometheus/profiles';
export type { SimulatedTenantTraffic } from './prometheus/profiles';
export type { KubeObject } from './types';
export type { AdmissionHook, ValidatorLookup } from './cluster/cluster';
export type { KamajiHost, TenantEndpoint } from './cluster/kamaji';
export type { RbacAuthorizer } from './cluster/rbac';
export type { ServiceAccountTokenIssuer } from './cluster/tokens';
export type { ResourceType } from './cluster/resources';
export type { CostRow } from './cost/model';
export type { AuthzAttributes, RbacSource } from './cluster/rbac';
export type { ServiceAccountTokenClaims } from './cluster/tokens';
export type { KeyPair } from './cluster/pki';
export type { ObjectValidator } from './cluster/validation';
export type { StatusCause } from './cluster/status';
