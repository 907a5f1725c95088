/**
 * Hospital tenants frontend plugin (new frontend system): the form fields of
 * the "New Hospital Tenant" software template (tenant ID, configuration
 * pickers, approved external APIs, the sizing and cost review) and the
 * plugin's translations. Legacy (`@backstage/core-plugin-api`) exports are
 * at `@prontuario/plugin-hospital-tenants/legacy`.
 *
 * @packageDocumentation
 */

export { hospitalTenantsPlugin as default } from './plugin';
export * from './extensions';
export * from './api';
export { TenantIsolationCard } from './components/TenantIsolationCard';
export { TenantContent } from './components/TenantContent';
export * from './search';
export {
  hospitalTenantsTranslationRef,
  hospitalTenantsEnglishMessages,
} from './translation';
export {
  readTenantFormConfig,
  defaultKubernetesVersion,
} from './lib/tenantFormConfig';
export type { TenantFormConfig } from './lib/tenantFormConfig';
export { reviewTenant } from './lib/tenantReview';
export type { TenantReview, TenantReviewInput } from './lib/tenantReview';
export { checkSlugFormat, findTenantsUsingSlug } from './lib/slug';
export type { SlugFormatProblem } from './lib/slug';
export {
  TenantCostCard,
  formatBrl,
  tenantCostTranslationRef,
  tenantCostEnglishMessages,
} from './components/TenantCostCard';
