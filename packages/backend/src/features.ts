/**
 * The portal backend's features, shared by `index.ts` and the tests that
 * start the backend the way production does. Sign-in: the `oidc` provider
 * with the portal's resolver (modules/oidcSignIn); the guest provider is
 * added by `guestSignInLoader` only when the configuration asks for it.
 */
import { guestSignInLoader } from './modules/guestSignIn';

export const portalFeatures = [
  // Serves the frontend bundle.
  import('@backstage/plugin-app-backend'),

  // Sign-in: OIDC with the portal's allow-listed resolver everywhere; the
  // guest locally only (app-config.development.yaml).
  import('@backstage/plugin-auth-backend'),
  import('./modules/oidcSignIn'),
  guestSignInLoader,

  // Software catalog, with the scaffolder's Template kind.
  import('@backstage/plugin-catalog-backend'),
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  import('@backstage/plugin-catalog-backend-module-logs'),
  // Hospital tenants from their TenantControlPlanes on the management cluster.
  import('@prontuario/plugin-catalog-backend-module-hospital-tenants'),

  // Software templates; task recovery is switched on in app-config.yaml.
  import('@backstage/plugin-scaffolder-backend'),
  // hospital:tenant:provision and hospital:tenant:render.
  import('@prontuario/plugin-scaffolder-backend-module-hospital-tenants'),

  // Events, carried across backend replicas by the events backend.
  import('@backstage/plugin-events-backend'),

  // Permission framework with the portal's policy: platform engineers may do
  // everything, a hospital's users see only their own tenant.
  import('@backstage/plugin-permission-backend'),
  import('./modules/permissionPolicy'),

  // Search: Lunr by default, PostgreSQL when the database is PostgreSQL.
  import('@backstage/plugin-search-backend'),
  import('@backstage/plugin-search-backend-module-pg'),
  import('@backstage/plugin-search-backend-module-catalog'),

  // Kubernetes plugin: the tenants' control-plane pods on the management
  // cluster, read with the portal's reader identity.
  import('@backstage/plugin-kubernetes-backend'),
  import('@prontuario/plugin-kubernetes-backend-module-hospital-tenants'),

  // User settings, stored per user and pushed to other tabs through signals.
  import('@backstage/plugin-user-settings-backend'),
  import('@backstage/plugin-signals-backend'),
];
