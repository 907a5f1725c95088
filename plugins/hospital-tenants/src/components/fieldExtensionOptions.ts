import {
  TenantConfigPickerField,
  tenantConfigPickerValidation,
  TENANT_CONFIG_PICKER_FIELD_NAME,
} from './TenantConfigPickerField';
import {
  TenantExternalApisField,
  tenantExternalApisValidation,
  TENANT_EXTERNAL_APIS_FIELD_NAME,
} from './TenantExternalApisField';
import {
  TenantReviewField,
  TENANT_REVIEW_FIELD_NAME,
} from './TenantReviewField';
import {
  TenantSlugField,
  tenantSlugValidation,
  TENANT_SLUG_FIELD_NAME,
} from './TenantSlugField';

// The four form fields once, for both frontend systems: the new system wraps
// them with createFormField, the legacy one with createScaffolderFieldExtension.

export const tenantSlugFieldOptions = {
  name: TENANT_SLUG_FIELD_NAME,
  component: TenantSlugField,
  validation: tenantSlugValidation,
};

export const tenantConfigPickerFieldOptions = {
  name: TENANT_CONFIG_PICKER_FIELD_NAME,
  component: TenantConfigPickerField,
  validation: tenantConfigPickerValidation,
};

export const tenantExternalApisFieldOptions = {
  name: TENANT_EXTERNAL_APIS_FIELD_NAME,
  component: TenantExternalApisField,
  validation: tenantExternalApisValidation,
};

export const tenantReviewFieldOptions = {
  name: TENANT_REVIEW_FIELD_NAME,
  component: TenantReviewField,
};

/** All four, in form order. */
export const tenantFieldOptions = [
  tenantSlugFieldOptions,
  tenantConfigPickerFieldOptions,
  tenantExternalApisFieldOptions,
  tenantReviewFieldOptions,
];
