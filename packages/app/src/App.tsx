import { createApp } from '@backstage/frontend-defaults';
import { kubernetesModule } from './modules/kubernetes';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';
import { translationsModule } from './modules/translations';

/**
 * The Prontuário Médico platform portal.
 *
 * Plugins listed in this package's dependencies are discovered through
 * `app.packages: all` in app-config.yaml; this list only adds the app's own
 * modules.
 */
export default createApp({
  features: [navModule, signInModule, translationsModule, kubernetesModule],
});
