import { createTranslationResource } from '@backstage/frontend-plugin-api';
import { hospitalTenantsTranslationRef } from '../translation';

/**
 * The translations of the hospital-tenants plugin (Brazilian Portuguese,
 * loaded on demand). Installed by the plugin in the new frontend system; a
 * legacy app passes it to `createApp({ __experimentalTranslations })`.
 *
 * @public
 */
export const hospitalTenantsTranslations = createTranslationResource({
  ref: hospitalTenantsTranslationRef,
  translations: { 'pt-BR': () => import('./pt-BR') },
});
