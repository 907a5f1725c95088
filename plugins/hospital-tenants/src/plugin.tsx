import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  hospitalTenantEntityContent,
  hospitalTenantIsolationCard,
  hospitalTenantSlaCard,
  hospitalTenantsApi,
  hospitalTenantsConfigPickerFormField,
  hospitalTenantsExternalApisFormField,
  hospitalTenantsReviewFormField,
  hospitalTenantsSlugFormField,
  hospitalTenantSearchResultListItem,
  hospitalTenantSearchResultType,
  hospitalTenantsCostEntityCard,
  hospitalTenantsCostDashboardPage,
} from './extensions';

/**
 * The hospital-tenants frontend plugin (new frontend system): the form
 * fields of the "New Hospital Tenant" template, the tenant API client, and
 * the "Tenant isolation" card and "Tenant" tab of tenant entities. Their strings carry their
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
    hospitalTenantsApi,
    hospitalTenantIsolationCard,
    hospitalTenantSlaCard,
    hospitalTenantEntityContent,
    hospitalTenantSearchResultListItem,
    hospitalTenantSearchResultType,
    hospitalTenantsCostEntityCard,
    hospitalTenantsCostDashboardPage,
  ],
});
