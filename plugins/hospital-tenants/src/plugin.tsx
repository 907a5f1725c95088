import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  hospitalTenantsConfigPickerFormField,
  hospitalTenantsExternalApisFormField,
  hospitalTenantsReviewFormField,
  hospitalTenantsSlugFormField,
  hospitalTenantsCostEntityCard,
  hospitalTenantsCostDashboardPage,
} from './extensions';

/**
 * The hospital-tenants frontend plugin (new frontend system): the form
 * fields of the "New Hospital Tenant" template. Their strings carry their
 * own Brazilian Portuguese (see `hospitalTenantsTranslationRef`).
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
    hospitalTenantsCostEntityCard,
    hospitalTenantsCostDashboardPage,
  ],
});
