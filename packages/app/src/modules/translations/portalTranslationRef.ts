import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Strings the portal itself owns (navigation, sign-in). English is the
 * default; the Brazilian Portuguese resource is installed by
 * {@link translationsModule} and loaded on demand.
 */
export const portalTranslationRef = createTranslationRef({
  id: 'prontuario-portal',
  messages: {
    nav: {
      search: 'Search',
      menu: 'Menu',
      settings: 'Settings',
      hospitalTenants: 'Hospital tenants',
      home: 'Prontuário portal home',
    },
    signIn: {
      oidcTitle: 'Single sign-on',
      oidcMessage: 'Sign in with the identity provider',
    },
  },
});
