import { expect, Page } from '@playwright/test';
import path from 'node:path';

/**
 * People of examples/org.yaml the local identity provider signs in (its
 * development sign-in page has one button per login), and its test-only
 * accounts the portal refuses.
 *
 * @public
 */
export type PortalUser =
  | 'ana.platform'
  | 'bruno.sre'
  | 'sofia.santamaria'
  | 'joao.saojoao'
  | 'rita.rhp'
  | 'fatima.finance'
  | 'test.unverified'
  | 'test.foreign'
  | 'test.unknown'
  | 'test.plus-address';

/**
 * Opens the local sign-in page, chooses "Sign in with the identity provider"
 * and picks `user` on the identity provider's page in the popup Backstage
 * opens. Resolves once the popup has closed itself (the backend posted the
 * result to the portal); the caller checks what the portal shows.
 *
 * @public
 */
export async function pickInIdentityProvider(page: Page, user: PortalUser) {
  await page.goto('/');
  const card = page
    .getByRole('listitem')
    .filter({ hasText: 'Sign in with the identity provider' });
  const popupOpened = page.waitForEvent('popup');
  await card.getByRole('button', { name: 'Sign In' }).click();
  const idp = await popupOpened;
  const closed = idp.waitForEvent('close');
  await idp.getByRole('button', { name: user, exact: true }).click();
  await closed;
}

/**
 * Signs `user` in through the real OIDC flow (the local identity provider in
 * a popup) and waits for the sidebar.
 *
 * @public
 */
export async function signInAs(page: Page, user: PortalUser) {
  await pickInIdentityProvider(page, user);
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/**
 * Where the signed-in state of `user` is saved once per run (globalSetup).
 *
 * @public
 */
export function storageStatePath(user: PortalUser): string {
  return path.resolve(__dirname, '../../../test-results/.auth', `${user}.json`);
}

/**
 * The Backstage token of the page's signed-in OIDC user (the refresh cookie
 * in the browser context), for checking what the backend serves them.
 *
 * @public
 */
export async function oidcToken(page: Page): Promise<string> {
  const backend = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
  const session = await page.request.get(
    `${backend}/api/auth/oidc/refresh?env=development`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  expect(session.ok()).toBe(true);
  return (await session.json()).backstageIdentity.token;
}
