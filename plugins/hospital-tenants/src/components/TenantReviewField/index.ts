export {
  TenantReviewField,
  TENANT_REVIEW_FIELD_NAME,
  formatBrl,
} from './TenantReviewField';
export type { TenantReviewSummary } from './TenantReviewField';
