export { HospitalTenantSearchResultListItem } from './HospitalTenantSearchResultListItem';
export type {
  HospitalTenantSearchDocument,
  HospitalTenantSearchResultListItemProps,
} from './HospitalTenantSearchResultListItem';
