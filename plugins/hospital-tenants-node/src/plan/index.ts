export * from './types';
export * from './buildTenantPlan';
export * from './planTenantProvisioning';
export * from './clusterGroup';
export * from './managementLayer';
export * from './tenantLayer';
export * from './renderPlanYaml';
export { MANAGED_BY as HOSPITAL_TENANTS_FIELD_MANAGER } from './common';
export * from './authenticationConfig';
