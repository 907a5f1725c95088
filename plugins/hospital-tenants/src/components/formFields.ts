import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
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

// The form fields of the new frontend system, loaded on demand by the
// FormFieldBlueprint extensions.

export const tenantSlugFormField = createFormField({
  name: TENANT_SLUG_FIELD_NAME,
  component: TenantSlugField,
  validation: tenantSlugValidation,
});

export const tenantConfigPickerFormField = createFormField({
  name: TENANT_CONFIG_PICKER_FIELD_NAME,
  component: TenantConfigPickerField,
  validation: tenantConfigPickerValidation,
});

export const tenantExternalApisFormField = createFormField({
  name: TENANT_EXTERNAL_APIS_FIELD_NAME,
  component: TenantExternalApisField,
  validation: tenantExternalApisValidation,
});

export const tenantReviewFormField = createFormField({
  name: TENANT_REVIEW_FIELD_NAME,
  component: TenantReviewField,
});
