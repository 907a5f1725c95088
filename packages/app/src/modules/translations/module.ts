import {
  createFrontendModule,
  createTranslationResource,
} from '@backstage/frontend-plugin-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { portalTranslationRef } from './portalTranslationRef';

const portalTranslations = TranslationBlueprint.make({
  name: 'portal',
  params: {
    resource: createTranslationResource({
      ref: portalTranslationRef,
      translations: { 'pt-BR': () => import('./pt-BR') },
    }),
  },
});

/** Brazilian Portuguese for the portal's own strings. */
export const translationsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [portalTranslations],
});
