export {
  TenantConfigPickerField,
  tenantConfigPickerValidation,
  TENANT_CONFIG_PICKER_FIELD_NAME,
} from './TenantConfigPickerField';
export type { TenantConfigPickerOptions } from './TenantConfigPickerField';
