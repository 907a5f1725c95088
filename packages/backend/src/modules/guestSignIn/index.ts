import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * The guest provider (a platform engineer, no password) is loaded only when
 * the configuration asks for it: `auth.environment: development` and an
 * `auth.providers.guest` block, which only `app-config.development.yaml`
 * (merged by `yarn start`) has. The production configuration has neither,
 * so the module is never even imported there; the guest module itself also
 * refuses to run with `NODE_ENV=production`.
 */
export const guestSignInLoader = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  async loader({ config }) {
    const development =
      config.getOptionalString('auth.environment') === 'development';
    if (!development || !config.has('auth.providers.guest')) {
      return [];
    }
    return [import('@backstage/plugin-auth-backend-module-guest-provider')];
  },
});
