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
  tenantConfigPickerFieldOptions,
  tenantExternalApisFieldOptions,
  tenantReviewFieldOptions,
  tenantSlugFieldOptions,
} from './components/fieldExtensionOptions';
import { TenantConfigPickerField } from './components/TenantConfigPickerField';
import { TenantExternalApisField } from './components/TenantExternalApisField';
import { TenantReviewField } from './components/TenantReviewField';
import { TenantSlugField } from './components/TenantSlugField';

/**
 * The hospital-tenants plugin for legacy apps.
 *
 * @public
 */
export const hospitalTenantsPlugin = createPlugin({ id: 'hospital-tenants' });

/** `ui:field: HospitalTenantSlug`. @public */
export const HospitalTenantSlugFieldExtension = hospitalTenantsPlugin.provide(
  createScaffolderFieldExtension(tenantSlugFieldOptions),
);

/** `ui:field: HospitalTenantConfigPicker`. @public */
export const HospitalTenantConfigPickerFieldExtension =
  hospitalTenantsPlugin.provide(
    createScaffolderFieldExtension(tenantConfigPickerFieldOptions),
  );

/** `ui:field: HospitalTenantExternalApis`. @public */
export const HospitalTenantExternalApisFieldExtension =
  hospitalTenantsPlugin.provide(
    createScaffolderFieldExtension(tenantExternalApisFieldOptions),
  );

/** `ui:field: HospitalTenantReview`. @public */
export const HospitalTenantReviewFieldExtension = hospitalTenantsPlugin.provide(
  createScaffolderFieldExtension(tenantReviewFieldOptions),
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
export { hospitalTenantsTranslationRef } from './translation';
