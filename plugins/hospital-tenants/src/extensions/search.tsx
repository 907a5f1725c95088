import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import { HOSPITAL_TENANT_TYPE } from '@prontuario/plugin-hospital-tenants-common';

/**
 * Renders `hospital-tenant` search results.
 *
 * @public
 */
export const hospitalTenantSearchResultListItem =
  SearchResultListItemBlueprint.make({
    name: 'hospital-tenant',
    params: {
      predicate: result => result.type === HOSPITAL_TENANT_TYPE,
      icon: <StorageIcon />,
      component: () =>
        import('../components/HospitalTenantSearchResultListItem').then(
          m => m.HospitalTenantSearchResultListItem,
        ),
    },
  });

/**
 * The "Hospital tenants" result type of the search page's type filter.
 *
 * @public
 */
export const hospitalTenantSearchResultType =
  SearchFilterResultTypeBlueprint.make({
    name: 'hospital-tenant',
    params: {
      value: HOSPITAL_TENANT_TYPE,
      name: 'Hospital tenants',
      icon: <StorageIcon />,
    },
  });
