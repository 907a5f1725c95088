import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { HOSPITAL_TENANT_TYPE } from '@prontuario/plugin-hospital-tenants-common';

/**
 * The "Tenant cost" card on hospital tenant entities only (`kind: resource`,
 * `spec.type: hospital-tenant`; the Template shares the type, not the kind).
 * Lazy: the card's code loads with the entity page that shows it.
 *
 * @public
 */
export const hospitalTenantsCostEntityCard = EntityCardBlueprint.make({
  name: 'tenant-cost',
  params: {
    filter: entity =>
      entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
      entity.spec?.type === HOSPITAL_TENANT_TYPE,
    loader: () =>
      import('../components/TenantCostCard/TenantCostCard').then(m => (
        <m.TenantCostCard />
      )),
  },
});
