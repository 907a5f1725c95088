import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  hospitalTenantsConfigPickerFormField,
  hospitalTenantsExternalApisFormField,
  hospitalTenantsReviewFormField,
  hospitalTenantsSlugFormField,
  hospitalTenantsTranslationsExtension,
} from './extensions';

/**
 * The hospital-tenants frontend plugin (new frontend system): the form
 * fields of the "New Hospital Tenant" template and the plugin's Brazilian
 * Portuguese translations.
 *
 * @public
 */
export const hospitalTenantsPlugin = createFrontendPlugin({
  pluginId: 'hospital-tenants',
  title: 'Hospital tenants',
  extensions: [
    hospitalTenantsSlugFormField,
    hospitalTenantsConfigPickerFormField,
    hospitalTenantsExternalApisFormField,
    hospitalTenantsReviewFormField,
    hospitalTenantsTranslationsExtension,
  ],
});
