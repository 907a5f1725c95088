export {
  hospitalTenantsSearchTranslationRef,
  hospitalTenantsSearchEnglishMessages,
} from './translation';
export {
  HospitalTenantSearchResultListItem,
  type HospitalTenantSearchDocument,
  type HospitalTenantSearchResultListItemProps,
} from '../components/HospitalTenantSearchResultListItem';
