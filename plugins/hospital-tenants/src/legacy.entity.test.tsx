import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityTenantIsolationCard,
  hospitalTenantsApiRef,
  hospitalTenantsPlugin,
  isHospitalTenant,
} from './legacy';

const tenant = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'hospital-santa-maria' },
  spec: { type: 'hospital-tenant' },
};

describe('legacy tenant exports', () => {
  it('tell tenants from the Template that shares their type', () => {
    expect(isHospitalTenant(tenant)).toBe(true);
    expect(
      isHospitalTenant({
        ...tenant,
        kind: 'Template',
        apiVersion: 'scaffolder.backstage.io/v1beta3',
      }),
    ).toBe(false);
    expect(isHospitalTenant({ ...tenant, spec: { type: 'database' } })).toBe(
      false,
    );
  });

  it('register the API client with the legacy plugin', () => {
    const apis = [...hospitalTenantsPlugin.getApis()];
    expect(apis.map(a => a.api.id)).toContain(hospitalTenantsApiRef.id);
  });

  it('render the card', async () => {
    const api = {
      listTenants: jest.fn(),
      getTenantStatus: jest.fn(() => new Promise<never>(() => {})),
      getTenantIsolation: jest.fn(() => new Promise<never>(() => {})),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[hospitalTenantsApiRef, api]]}>
        <EntityProvider entity={tenant}>
          <EntityTenantIsolationCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Tenant isolation')).toBeInTheDocument();
    expect(api.getTenantStatus).toHaveBeenCalledWith('hospital-santa-maria');
  });
});
