export {
  TenantIsolationCard,
  TenantIsolationDetails,
  TenantDataState,
} from './TenantIsolationCard';
export { useTenantData } from './useTenantData';
