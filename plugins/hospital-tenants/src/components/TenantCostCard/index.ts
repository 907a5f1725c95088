export { TenantCostCard, TenantCostView } from './TenantCostCard';
export { formatBrl } from './money';
export {
  tenantCostTranslationRef,
  tenantCostEnglishMessages,
} from './translation';
