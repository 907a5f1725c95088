import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import type { SearchResult } from '@backstage/plugin-search-common';
import { HOSPITAL_TENANT_TYPE } from '@prontuario/plugin-hospital-tenants-common';

/**
 * Whether a search result is a hospital tenant.
 *
 * @public
 */
export function isHospitalTenantSearchResult(result: SearchResult): boolean {
  return result.type === HOSPITAL_TENANT_TYPE;
}

/**
 * The `hospital-tenant` search result extension for legacy apps, provided by
 * the legacy plugin as `HospitalTenantSearchResultListItem` in `./legacy`:
 * put that inside `<SearchResult>` (it renders only tenant results), and add
 * `{ value: 'hospital-tenant', name: 'Hospital tenants', icon }` to the
 * page's `<SearchType.Accordion types={...}>`.
 *
 * @public
 */
export const hospitalTenantSearchResultListItemExtension =
  createSearchResultListItemExtension({
    name: 'HospitalTenantSearchResultListItem',
    predicate: isHospitalTenantSearchResult,
    component: () =>
      import('../components/HospitalTenantSearchResultListItem').then(
        m => m.HospitalTenantSearchResultListItem,
      ),
  });
