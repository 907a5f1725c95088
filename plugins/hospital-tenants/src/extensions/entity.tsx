import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { HOSPITAL_TENANT_TYPE } from '@prontuario/plugin-hospital-tenants-common';
import { HospitalTenantsClient, hospitalTenantsApiRef } from '../api';

/**
 * Tenant entities only: the Template `new-hospital-tenant` shares the type.
 *
 * @public
 */
export const hospitalTenantEntityFilter = {
  kind: 'resource',
  'spec.type': HOSPITAL_TENANT_TYPE,
};

/** The tenant API client. @public */
export const hospitalTenantsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: hospitalTenantsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new HospitalTenantsClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Tenant isolation" card on a tenant's overview. @public */
export const hospitalTenantIsolationCard = EntityCardBlueprint.make({
  name: 'tenant-isolation',
  params: {
    filter: hospitalTenantEntityFilter,
    loader: () =>
      import('../components/TenantIsolationCard').then(m => (
        <m.TenantIsolationCard />
      )),
  },
});

/** The "Tenant SLA" card on a tenant's overview. @public */
export const hospitalTenantSlaCard = EntityCardBlueprint.make({
  name: 'tenant-sla',
  params: {
    filter: hospitalTenantEntityFilter,
    loader: () =>
      import('../components/TenantSlaCard').then(m => <m.TenantSlaCard />),
  },
});

/** The "Tenant" tab of a tenant entity. @public */
export const hospitalTenantEntityContent = EntityContentBlueprint.make({
  name: 'tenant',
  params: {
    path: 'tenant',
    title: 'Tenant',
    filter: hospitalTenantEntityFilter,
    loader: () =>
      import('../components/TenantContent').then(m => <m.TenantContent />),
  },
});
