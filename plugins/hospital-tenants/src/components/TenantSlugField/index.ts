export {
  TenantSlugField,
  tenantSlugValidation,
  TENANT_SLUG_FIELD_NAME,
} from './TenantSlugField';
export type { TenantSlugFieldOptions } from './TenantSlugField';
