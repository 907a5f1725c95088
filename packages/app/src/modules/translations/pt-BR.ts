import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { portalTranslationRef } from './portalTranslationRef';

/** Brazilian Portuguese strings of the portal. */
const ptBR = createTranslationMessages({
  ref: portalTranslationRef,
  full: true,
  messages: {
    'nav.search': 'Buscar',
    'nav.menu': 'Menu',
    'nav.settings': 'Configurações',
    'nav.hospitalTenants': 'Hospitais',
    'nav.home': 'Início do portal Prontuário',
    'signIn.oidcTitle': 'Login único',
    'signIn.oidcMessage': 'Entre pelo provedor de identidade',
  },
});

export default ptBR;
