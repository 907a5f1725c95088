/**
 * Legacy (`@backstage/core-plugin-api`) exports of the hospital-tenants
 * frontend plugin: the template's form fields as scaffolder field
 * extensions, for apps on the legacy frontend system.
 *
 * ```tsx
 * <Route path="/create" element={<ScaffolderPage />}>
 *   <ScaffolderFieldExtensions>
 *     <HospitalTenantSlugFieldExtension />
 *     <HospitalTenantConfigPickerFieldExtension />
 *     <HospitalTenantExternalApisFieldExtension />
 *     <HospitalTenantReviewFieldExtension />
 *   </ScaffolderFieldExtensions>
 * </Route>
 * ```
 *
 * @packageDocumentation
 */

import { createPlugin } from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  TenantConfigPickerField,
  tenantConfigPickerValidation,
  TENANT_CONFIG_PICKER_FIELD_NAME,
} from './components/TenantConfigPickerField';
import {
  TenantExternalApisField,
  tenantExternalApisValidation,
  TENANT_EXTERNAL_APIS_FIELD_NAME,
} from './components/TenantExternalApisField';
import {
  TenantReviewField,
  TENANT_REVIEW_FIELD_NAME,
} from './components/TenantReviewField';
import {
  TenantSlugField,
  tenantSlugValidation,
  TENANT_SLUG_FIELD_NAME,
} from './components/TenantSlugField';

/**
 * The hospital-tenants plugin for legacy apps.
 *
 * @public
 */
export const hospitalTenantsPlugin = createPlugin({ id: 'hospital-tenants' });

/** `ui:field: HospitalTenantSlug`. @public */
export const HospitalTenantSlugFieldExtension = hospitalTenantsPlugin.provide(
  createScaffolderFieldExtension({
    name: TENANT_SLUG_FIELD_NAME,
    component: TenantSlugField,
    validation: tenantSlugValidation,
  }),
);

/** `ui:field: HospitalTenantConfigPicker`. @public */
export const HospitalTenantConfigPickerFieldExtension =
  hospitalTenantsPlugin.provide(
    createScaffolderFieldExtension({
      name: TENANT_CONFIG_PICKER_FIELD_NAME,
      component: TenantConfigPickerField,
      validation: tenantConfigPickerValidation,
    }),
  );

/** `ui:field: HospitalTenantExternalApis`. @public */
export const HospitalTenantExternalApisFieldExtension =
  hospitalTenantsPlugin.provide(
    createScaffolderFieldExtension({
      name: TENANT_EXTERNAL_APIS_FIELD_NAME,
      component: TenantExternalApisField,
      validation: tenantExternalApisValidation,
    }),
  );

/** `ui:field: HospitalTenantReview`. @public */
export const HospitalTenantReviewFieldExtension = hospitalTenantsPlugin.provide(
  createScaffolderFieldExtension({
    name: TENANT_REVIEW_FIELD_NAME,
    component: TenantReviewField,
  }),
);

export {
  TenantSlugField,
  TenantConfigPickerField,
  TenantExternalApisField,
  TenantReviewField,
};
export type { TenantSlugFieldOptions } from './components/TenantSlugField';
export type { TenantConfigPickerOptions } from './components/TenantConfigPickerField';
export type { TenantReviewSummary } from './components/TenantReviewField';
export { hospitalTenantsTranslations } from './translations';
export { hospitalTenantsTranslationRef } from './translation';
