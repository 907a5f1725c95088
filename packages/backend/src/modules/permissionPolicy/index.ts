export { default } from './module';
export {
  HospitalTenantsPermissionPolicy,
  DEFAULT_FINANCE_GROUP,
  DEFAULT_PLATFORM_GROUP,
  FINANCE_GROUP_CONFIG_KEY,
  PLATFORM_GROUP_CONFIG_KEY,
} from './HospitalTenantsPermissionPolicy';
export { ROLE_DECISIONS } from './decisions';
