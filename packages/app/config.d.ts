export interface Config {
  app?: {
    /** How people sign in to the portal. */
    signIn?: {
      /**
       * `oidc` (the backend's `oidc` provider, configured under
       * `auth.providers.oidc`) or `development` (local only,
       * app-config.development.yaml: the guest and the local identity
       * provider; `guest` is an alias). Default: `oidc`.
       * @visibility frontend
       */
      provider?: 'development' | 'guest' | 'oidc';
    };
  };
}
