export { hospitalTenantsApiRef } from './HospitalTenantsApi';
export type { HospitalTenantsApi } from './HospitalTenantsApi';
export { HospitalTenantsClient } from './HospitalTenantsClient';
