/**
 * Playwright global setup: waits for the portal, then signs each person the
 * suites use in once through the real OIDC flow and saves their signed-in
 * state (the refresh cookie and the sign-in page's provider choice) for
 * `test.use({ storageState: storageStatePath(user) })`.
 */
import { chromium, FullConfig } from '@playwright/test';
import { PortalUser, signInAs, storageStatePath } from '@prontuario/e2e-utils';
import waitForPortal from './waitForPortal';

/** Everyone a suite signs in as. */
export const PREPARED_USERS: PortalUser[] = [
  'ana.platform',
  'sofia.santamaria',
  'joao.saojoao',
  'rita.rhp',
  'fatima.finance',
];

export default async function globalSetup(config: FullConfig) {
  await waitForPortal();
  const { use } = config.projects[0];
  const browser = await chromium.launch(use.launchOptions);
  try {
    for (const user of PREPARED_USERS) {
      const context = await browser.newContext({ baseURL: use.baseURL });
      const page = await context.newPage();
      await signInAs(page, user);
      await context.storageState({ path: storageStatePath(user) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
}
