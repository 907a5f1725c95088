/**
 * The Prontuário Médico platform portal backend (new backend system).
 *
 * Local defaults (`yarn start`: app-config.yaml + app-config.development.yaml):
 * SQLite, in-memory cache, guest and local-OIDC sign-in, Lunr search.
 * Production (app-config.yaml + app-config.production.yaml): PostgreSQL,
 * Redis, OIDC only, and the PostgreSQL search engine. The feature list is in
 * `features.ts`.
 */
import { createBackend } from '@backstage/backend-defaults';
import { portalFeatures } from './features';

const backend = createBackend();
for (const feature of portalFeatures) {
  backend.add(feature);
}
backend.start();
