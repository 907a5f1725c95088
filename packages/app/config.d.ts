export interface Config {
  app?: {
    /** How people sign in to the portal. */
    signIn?: {
      /**
       * `guest` (local development only: the auth backend refuses guests
       * in production) or `oidc` (the backend's `oidc` provider, configured
       * under `auth.providers.oidc`). Default: `guest`.
       * @visibility frontend
       */
      provider?: 'guest' | 'oidc';
    };
  };
}
