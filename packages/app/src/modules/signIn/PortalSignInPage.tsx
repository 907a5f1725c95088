import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { portalTranslationRef } from '../translations';
import { oidcAuthApiRef } from './oidcAuthApiRef';

/**
 * The sign-in method is chosen by config, so one frontend build serves both
 * local development (`development`: the guest and the local identity
 * provider) and production (`oidc`): `app.signIn.provider` in app-config.
 * Anything else is treated as `oidc`.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const { t } = useTranslationRef(portalTranslationRef);
  const provider = config.getOptionalString('app.signIn.provider') ?? 'oidc';
  const oidc = {
    id: 'oidc-auth-provider',
    title: t('signIn.oidcTitle'),
    message: t('signIn.oidcMessage'),
    apiRef: oidcAuthApiRef,
  };

  if (provider === 'development' || provider === 'guest') {
    // Local development only: the backend loads the guest provider only
    // with app-config.development.yaml.
    return <SignInPage {...props} providers={['guest', oidc]} />;
  }
  return <SignInPage {...props} auto provider={oidc} />;
}
