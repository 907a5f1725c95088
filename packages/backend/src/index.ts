/**
 * The Prontuário Médico platform portal backend (new backend system).
 *
 * Local defaults: SQLite, in-memory cache, guest sign-in, Lunr search.
 * Production (app-config.production.yaml): PostgreSQL, Redis, OIDC, and the
 * PostgreSQL search engine.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Serves the frontend bundle.
backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest locally, OIDC in production (app-config.production.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));

// Software catalog, with the scaffolder's Template kind.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Hospital tenants from their TenantControlPlanes on the management cluster.
backend.add(
  import('@prontuario/plugin-catalog-backend-module-hospital-tenants'),
);

// Software templates; task recovery is switched on in app-config.yaml.
backend.add(import('@backstage/plugin-scaffolder-backend'));
// hospital:tenant:provision and hospital:tenant:render.
backend.add(
  import('@prontuario/plugin-scaffolder-backend-module-hospital-tenants'),
);

// The tenant API (status, isolation) and the hospital-tenant permission
// resource type.
backend.add(import('@prontuario/plugin-hospital-tenants-backend'));

// Events, carried across backend replicas by the events backend.
backend.add(import('@backstage/plugin-events-backend'));

// Permission framework with the portal's policy: platform engineers may do
// everything, a hospital's users see only their own tenant.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// Search: Lunr by default, PostgreSQL when the database is PostgreSQL.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// Kubernetes plugin: the tenants' control-plane pods on the management
// cluster, read with the portal's reader identity.
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(
  import('@prontuario/plugin-kubernetes-backend-module-hospital-tenants'),
);

// User settings, stored per user and pushed to other tabs through signals.
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
