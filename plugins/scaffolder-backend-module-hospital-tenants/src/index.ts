/**
 * Scaffolder backend module of the hospital-tenants portal: the actions
 * `hospital:tenant:provision` (provision a tenant as one safe, resumable
 * transaction) and `hospital:tenant:render` (write the same plan into the
 * workspace for GitOps).
 *
 * @packageDocumentation
 */

export { scaffolderModuleHospitalTenants as default } from './module';
export {
  createHospitalTenantProvisionAction,
  PROVISION_ACTION_ID,
} from './actions/provision';
export type { ProvisionActionOptions } from './actions/provision';
export {
  createHospitalTenantRenderAction,
  RENDER_ACTION_ID,
} from './actions/render';
export type { RenderActionOptions } from './actions/render';
export { provisioningClustersOf } from './clusters';
export type { ProvisioningClusters } from './clusters';
export {
  DEFAULT_PROVISIONING_SETTINGS,
  readProvisioningSettings,
} from './settings';
export type { ProvisioningSettings } from './settings';
