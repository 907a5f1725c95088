import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import {
  ALLOWED_DOMAIN_RESOLVER,
  createAllowedDomainResolverFactory,
} from './resolver';

/**
 * The `oidc` auth provider, built from the stock OIDC module's authenticator
 * (which already drops unverified e-mails) with the portal's only sign-in
 * resolver, `allowedDomainEmailMatchingUserEntity`. It replaces
 * `@backstage/plugin-auth-backend-module-oidc-provider`'s own module, whose
 * resolvers have no domain allow-list and fall back from `a+b@x` to `a@x`.
 */
export const authModuleOidcSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'oidc-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
      },
      async init({ providers, auditor, logger }) {
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator: oidcAuthenticator,
            signInResolverFactories: {
              [ALLOWED_DOMAIN_RESOLVER]: createAllowedDomainResolverFactory({
                auditor,
                logger,
              }),
            },
          }),
        });
      },
    });
  },
});
