export {
  TenantExternalApisField,
  tenantExternalApisValidation,
  TENANT_EXTERNAL_APIS_FIELD_NAME,
} from './TenantExternalApisField';
