export { default } from './module';
export {
  HospitalTenantsPermissionPolicy,
  DEFAULT_PLATFORM_GROUP,
  PLATFORM_GROUP_CONFIG_KEY,
} from './HospitalTenantsPermissionPolicy';
