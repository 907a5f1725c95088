/**
 * Legacy (`@backstage/core-plugin-api`) exports of the hospital-tenants
 * frontend plugin: the template's form fields as scaffolder field
 * extensions, for apps on the legacy frontend system.
 *
 * ```tsx
 * <Route path="/create" element={<ScaffolderPage />}>
 *   <ScaffolderFieldExtensions>
 *     <HospitalTenantSlugFieldExtension />
 *     <HospitalTenantConfigPickerFieldExtension />
 *     <HospitalTenantExternalApisFieldExtension />
 *     <HospitalTenantReviewFieldExtension />
 *   </ScaffolderFieldExtensions>
 * </Route>
 * ```
 *
 * and, on the entity page of tenants (`isHospitalTenant`),
 * `<EntityTenantIsolationCard />`, `<EntityTenantSlaCard />` and
 * `<EntityTenantContent />`.
 *
 * @packageDocumentation
 */

import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { HOSPITAL_TENANT_TYPE } from '@prontuario/plugin-hospital-tenants-common';
import { HospitalTenantsClient, hospitalTenantsApiRef } from './api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  tenantConfigPickerFieldOptions,
  tenantExternalApisFieldOptions,
  tenantReviewFieldOptions,
  tenantSlugFieldOptions,
} from './components/fieldExtensionOptions';
import { TenantConfigPickerField } from './components/TenantConfigPickerField';
import { TenantExternalApisField } from './components/TenantExternalApisField';
import { TenantReviewField } from './components/TenantReviewField';
import { TenantSlugField } from './components/TenantSlugField';
import { hospitalTenantSearchResultListItemExtension } from './search/legacy';
import type {
  HospitalTenantSearchDocument,
  HospitalTenantSearchResultListItemProps,
} from './components/HospitalTenantSearchResultListItem';

/**
 * The hospital-tenants plugin for legacy apps.
 *
 * @public
 */
export const hospitalTenantsPlugin = createPlugin({
  id: 'hospital-tenants',
  apis: [
    createApiFactory({
      api: hospitalTenantsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new HospitalTenantsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * Whether an entity is a hospital tenant (`kind: Resource`,
 * `spec.type: hospital-tenant`; the Template shares the type, so the kind
 * matters). Use it as the `if` of an `EntitySwitch.Case`.
 *
 * @public
 */
export function isHospitalTenant(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === HOSPITAL_TENANT_TYPE
  );
}

/**
 * The "Tenant isolation" card for a tenant entity's overview.
 *
 * @public
 */
export const EntityTenantIsolationCard: () => JSX.Element =
  hospitalTenantsPlugin.provide(
    createComponentExtension({
      name: 'EntityTenantIsolationCard',
      component: {
        lazy: () =>
          import('./components/TenantIsolationCard').then(
            m => m.TenantIsolationCard,
          ),
      },
    }),
  );

/**
 * The "Tenant SLA" card for a tenant entity's overview.
 *
 * @public
 */
export const EntityTenantSlaCard: () => JSX.Element =
  hospitalTenantsPlugin.provide(
    createComponentExtension({
      name: 'EntityTenantSlaCard',
      component: {
        lazy: () =>
          import('./components/TenantSlaCard').then(m => m.TenantSlaCard),
      },
    }),
  );

/**
 * The "Tenant" tab content of a tenant entity (mount it under
 * `<EntityLayout.Route path="/tenant" title="Tenant" if={isHospitalTenant}>`).
 *
 * @public
 */
export const EntityTenantContent: () => JSX.Element =
  hospitalTenantsPlugin.provide(
    createComponentExtension({
      name: 'EntityTenantContent',
      component: {
        lazy: () =>
          import('./components/TenantContent').then(m => m.TenantContent),
      },
    }),
  );

export { hospitalTenantsApiRef, HospitalTenantsClient };
export type { HospitalTenantsApi } from './api';

/** `ui:field: HospitalTenantSlug`. @public */
export const HospitalTenantSlugFieldExtension = hospitalTenantsPlugin.provide(
  createScaffolderFieldExtension(tenantSlugFieldOptions),
);

/** `ui:field: HospitalTenantConfigPicker`. @public */
export const HospitalTenantConfigPickerFieldExtension =
  hospitalTenantsPlugin.provide(
    createScaffolderFieldExtension(tenantConfigPickerFieldOptions),
  );

/** `ui:field: HospitalTenantExternalApis`. @public */
export const HospitalTenantExternalApisFieldExtension =
  hospitalTenantsPlugin.provide(
    createScaffolderFieldExtension(tenantExternalApisFieldOptions),
  );

/** `ui:field: HospitalTenantReview`. @public */
export const HospitalTenantReviewFieldExtension = hospitalTenantsPlugin.provide(
  createScaffolderFieldExtension(tenantReviewFieldOptions),
);

export {
  TenantSlugField,
  TenantConfigPickerField,
  TenantExternalApisField,
  TenantReviewField,
};
export type { TenantSlugFieldOptions } from './components/TenantSlugField';
export type { TenantConfigPickerOptions } from './components/TenantConfigPickerField';
export type { TenantReviewSummary } from './components/TenantReviewField';
export { hospitalTenantsTranslationRef } from './translation';
export { isHospitalTenantSearchResult } from './search/legacy';
export type {
  HospitalTenantSearchResultListItemProps,
  HospitalTenantSearchDocument,
};
/** The `hospital-tenant` search result; see `./search/legacy`. @public */
export const HospitalTenantSearchResultListItem: (
  props: HospitalTenantSearchResultListItemProps,
) => JSX.Element | null = hospitalTenantsPlugin.provide(
  hospitalTenantSearchResultListItemExtension,
);
