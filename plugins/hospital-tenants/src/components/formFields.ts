import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  tenantConfigPickerFieldOptions,
  tenantExternalApisFieldOptions,
  tenantReviewFieldOptions,
  tenantSlugFieldOptions,
} from './fieldExtensionOptions';

// The form fields of the new frontend system, loaded on demand by the
// FormFieldBlueprint extensions.

export const tenantSlugFormField = createFormField(tenantSlugFieldOptions);
export const tenantConfigPickerFormField = createFormField(
  tenantConfigPickerFieldOptions,
);
export const tenantExternalApisFormField = createFormField(
  tenantExternalApisFieldOptions,
);
export const tenantReviewFormField = createFormField(tenantReviewFieldOptions);
