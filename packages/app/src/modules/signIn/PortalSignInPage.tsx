import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { portalTranslationRef } from '../translations';
import { oidcAuthApiRef } from './oidcAuthApiRef';

/**
 * The sign-in method is chosen by config, so one frontend build serves both
 * local development (`guest`) and production (`oidc`):
 * `app.signIn.provider` in app-config.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const { t } = useTranslationRef(portalTranslationRef);
  const provider = config.getOptionalString('app.signIn.provider') ?? 'guest';

  if (provider === 'oidc') {
    return (
      <SignInPage
        {...props}
        auto
        provider={{
          id: 'oidc-auth-provider',
          title: t('signIn.oidcTitle'),
          message: t('signIn.oidcMessage'),
          apiRef: oidcAuthApiRef,
        }}
      />
    );
  }
  // Local development only: the auth backend refuses guests in production.
  return <SignInPage {...props} providers={['guest']} />;
}
