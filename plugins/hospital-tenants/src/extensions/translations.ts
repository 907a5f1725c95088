import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { hospitalTenantsTranslations } from '../translations';

/**
 * `translation:hospital-tenants/translations`: Brazilian Portuguese for the
 * plugin's strings.
 *
 * @public
 */
export const hospitalTenantsTranslationsExtension = TranslationBlueprint.make({
  name: 'translations',
  params: { resource: hospitalTenantsTranslations },
});
