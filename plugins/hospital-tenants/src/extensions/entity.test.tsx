import { screen, waitFor } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import { hospitalTenantsApiRef } from '../api';
import {
  hospitalTenantEntityContent,
  hospitalTenantIsolationCard,
} from './entity';

const tenant: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'hospital-santa-maria', namespace: 'default' },
  spec: {
    type: 'hospital-tenant',
    owner: 'group:default/hospital-santa-maria',
  },
};
const template: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'new-hospital-tenant', namespace: 'default' },
  spec: { type: 'hospital-tenant' },
};
const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', namespace: 'default' },
  spec: { type: 'service' },
};

const neverAnswers = {
  listTenants: jest.fn(),
  getTenantStatus: jest.fn(() => new Promise<never>(() => {})),
  getTenantIsolation: jest.fn(() => new Promise<never>(() => {})),
};

/** A card on every entity: once it shows, the page has rendered its cards. */
const probeCard = EntityCardBlueprint.make({
  name: 'probe',
  params: { loader: async () => <div>probe card</div> },
});

describe('tenant entity extensions', () => {
  it('shows the Tenant isolation card on a tenant', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: tenant }),
        hospitalTenantIsolationCard,
      ],
      apis: [[hospitalTenantsApiRef, neverAnswers]],
    });
    expect(await screen.findByText('Tenant isolation')).toBeInTheDocument();
  });

  it.each([
    ['the Template that shares the type', template],
    ['another entity', component],
  ])('hides the card on %s', async (_what, entity) => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity }),
        probeCard,
        hospitalTenantIsolationCard,
      ],
      apis: [[hospitalTenantsApiRef, neverAnswers]],
    });
    expect(await screen.findByText('probe card')).toBeInTheDocument();
    expect(screen.queryByText('Tenant isolation')).not.toBeInTheDocument();
  });

  it('renders the Tenant tab on a tenant', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: tenant }),
        hospitalTenantEntityContent,
      ],
      apis: [[hospitalTenantsApiRef, neverAnswers]],
    });
    await waitFor(() =>
      expect(neverAnswers.getTenantStatus).toHaveBeenCalledWith(
        'hospital-santa-maria',
      ),
    );
  });
});
