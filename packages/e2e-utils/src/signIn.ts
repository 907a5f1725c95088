import { expect, Page } from '@playwright/test';

/**
 * The local backend the suites run against.
 *
 * @public
 */
export const BACKEND_URL =
  process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';

/**
 * Signs in with the local guest provider and waits for the sidebar.
 *
 * @public
 */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/**
 * A Backstage token of the local guest (a platform engineer), for checking
 * what the backend serves next to what the page shows.
 *
 * @public
 */
export async function guestToken(page: Page): Promise<string> {
  const session = await page.request.get(
    `${BACKEND_URL}/api/auth/guest/refresh?env=development`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  expect(session.ok()).toBe(true);
  return (await session.json()).backstageIdentity.token;
}

/**
 * A tenant's catalog entity (`resource:default/<tenantId>`) as the backend
 * serves it to the guest; fails the test when it does not exist.
 *
 * @public
 */
export async function tenantEntityAsGuest(
  page: Page,
  tenantId: string,
): Promise<{
  metadata: { annotations: Record<string, string> };
  spec: Record<string, unknown>;
}> {
  const token = await guestToken(page);
  const res = await page.request.get(
    `${BACKEND_URL}/api/catalog/entities/by-name/resource/default/${encodeURIComponent(
      tenantId,
    )}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.ok()).toBe(true);
  return res.json();
}
