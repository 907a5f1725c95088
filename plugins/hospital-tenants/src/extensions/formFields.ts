import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * `scaffolder-form-field:hospital-tenants/slug`: the tenant ID derived from
 * the hospital name (`ui:field: HospitalTenantSlug`).
 *
 * @public
 */
export const hospitalTenantsSlugFormField = FormFieldBlueprint.make({
  name: 'slug',
  params: {
    field: () =>
      import('../components/formFields').then(m => m.tenantSlugFormField),
  },
});

/**
 * `scaffolder-form-field:hospital-tenants/config-picker`: region,
 * environment and Kubernetes version from configuration
 * (`ui:field: HospitalTenantConfigPicker`).
 *
 * @public
 */
export const hospitalTenantsConfigPickerFormField = FormFieldBlueprint.make({
  name: 'config-picker',
  params: {
    field: () =>
      import('../components/formFields').then(
        m => m.tenantConfigPickerFormField,
      ),
  },
});

/**
 * `scaffolder-form-field:hospital-tenants/external-apis`: approved external
 * API CIDRs (`ui:field: HospitalTenantExternalApis`).
 *
 * @public
 */
export const hospitalTenantsExternalApisFormField = FormFieldBlueprint.make({
  name: 'external-apis',
  params: {
    field: () =>
      import('../components/formFields').then(
        m => m.tenantExternalApisFormField,
      ),
  },
});

/**
 * `scaffolder-form-field:hospital-tenants/review`: the sizing and cost
 * review step (`ui:field: HospitalTenantReview`).
 *
 * @public
 */
export const hospitalTenantsReviewFormField = FormFieldBlueprint.make({
  name: 'review',
  params: {
    field: () =>
      import('../components/formFields').then(m => m.tenantReviewFormField),
  },
});
