/**
 * The portal backend's features, shared by `index.ts` and the tests that
 * start the backend the way production does. Sign-in: the `oidc` provider
 * with the portal's resolver (modules/oidcSignIn); the guest provider is
 * added by `guestSignInLoader` only when the configuration asks for it.
 */
import appPlugin from '@backstage/plugin-app-backend';
import authPlugin from '@backstage/plugin-auth-backend';
import oidcSignIn from './modules/oidcSignIn';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import catalogVisibility from './modules/catalogVisibility';
import catalogModuleHospitalTenants from '@prontuario/plugin-catalog-backend-module-hospital-tenants';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleHospitalTenants from '@prontuario/plugin-scaffolder-backend-module-hospital-tenants';
import hospitalTenantsPlugin from '@prontuario/plugin-hospital-tenants-backend';
import eventsPlugin from '@backstage/plugin-events-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionPolicy from './modules/permissionPolicy';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModulePg from '@backstage/plugin-search-backend-module-pg';
import searchModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import searchModuleHospitalTenants, {
  searchModuleHospitalTenantsLunrEngine,
} from '@prontuario/plugin-search-backend-module-hospital-tenants';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import kubernetesModuleHospitalTenants from '@prontuario/plugin-kubernetes-backend-module-hospital-tenants';
import userSettingsPlugin from '@backstage/plugin-user-settings-backend';
import signalsPlugin from '@backstage/plugin-signals-backend';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { guestSignInLoader } from './modules/guestSignIn';

export const portalFeatures = [
  // Serves the frontend bundle.
  appPlugin,

  // Sign-in: OIDC with the portal's allow-listed resolver everywhere; the
  // guest locally only (app-config.development.yaml).
  authPlugin,
  oidcSignIn,
  guestSignInLoader,

  // Software catalog, with the scaffolder's Template kind.
  catalogPlugin,
  catalogModuleScaffolderEntityModel,
  catalogModuleLogs,
  // The catalog permission rule the portal's visibility rule needs.
  catalogVisibility,
  // Hospital tenants from their TenantControlPlanes on the management cluster.
  catalogModuleHospitalTenants,

  // Software templates; task recovery is switched on in app-config.yaml.
  scaffolderPlugin,
  // hospital:tenant:provision and hospital:tenant:render.
  scaffolderModuleHospitalTenants,

  // The tenant API (status, isolation) and the hospital-tenant permission
  // resource type.
  hospitalTenantsPlugin,

  // Events, carried across backend replicas by the events backend.
  eventsPlugin,

  // Permission framework with the portal's policy: platform engineers may do
  // everything, a hospital's users see only their own tenant.
  permissionPlugin,
  permissionPolicy,

  // Search: PostgreSQL when the database is PostgreSQL, else Lunr with
  // results ordered across types by how well they match the words typed.
  searchPlugin,
  searchModulePg,
  searchModuleHospitalTenantsLunrEngine,
  searchModuleCatalog,
  // hospital-tenant documents, from the tenant API (one per tenant).
  searchModuleHospitalTenants,

  // Kubernetes plugin: the tenants' control-plane pods on the management
  // cluster, read with the portal's reader identity.
  kubernetesPlugin,
  kubernetesModuleHospitalTenants,

  // User settings, stored per user and pushed to other tabs through signals.
  userSettingsPlugin,
  signalsPlugin,

  // Notifications (the tenants' budget crossings), pushed live through signals.
  notificationsPlugin,
];
