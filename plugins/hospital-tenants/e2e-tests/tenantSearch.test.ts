import { expect, Page, test } from '@playwright/test';
import { storageStatePath } from '@prontuario/e2e-utils';

/**
 * Portal search across tenants: accent-insensitive for a platform engineer,
 * and only their own tenant for a hospital user.
 */

/** Searches until the index has been built (the collator runs on a schedule). */
async function searchUntil(
  page: Page,
  query: string,
  ready: (page: Page) => Promise<boolean>,
) {
  await expect
    .poll(
      async () => {
        await page.goto(`/search?query=${encodeURIComponent(query)}`);
        await page
          .getByRole('progressbar')
          .waitFor({ state: 'detached' })
          .catch(() => undefined);
        return ready(page);
      },
      { timeout: 120_000, intervals: [2_000, 5_000] },
    )
    .toBe(true);
}

test.describe('as a platform engineer', () => {
  test.use({ storageState: storageStatePath('ana.platform') });

  test('"sao joao" finds Hospital São João first among the tenants and opens its page', async ({
    page,
  }) => {
    // Lunr (the local engine) ranks each document type in its own index, so
    // across types a person named João can come first: the test asks for the
    // "Hospital tenants" type, as a user would.
    const tenantLinks = page
      .getByRole('main')
      .locator('a[href^="/catalog/default/resource/"]');
    await searchUntil(page, 'sao joao', async () => {
      const type = page.getByRole('button', { name: /^Hospital tenants/ });
      if ((await type.count()) === 0) return false;
      await type.click();
      await tenantLinks
        .first()
        .waitFor({ timeout: 10_000 })
        .catch(() => undefined);
      return (await tenantLinks.count()) > 0
        ? (await tenantLinks.first().innerText()) === 'Hospital São João'
        : false;
    });
    await tenantLinks.first().click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/resource\/hospital-sao-joao$/,
    );
    await expect(
      page.getByRole('heading', { name: 'Hospital São João' }).first(),
    ).toBeVisible();
  });
});

test.describe('as a Santa Maria user', () => {
  test.use({ storageState: storageStatePath('sofia.santamaria') });

  test('searching "São João" shows no tenant result', async ({ page }) => {
    // Her own tenant is indexed (the index is built), then the other one is
    // not found.
    await searchUntil(page, 'Santa Maria', async () =>
      page
        .getByRole('main')
        .getByRole('link', { name: 'Hospital Santa Maria', exact: true })
        .isVisible(),
    );
    await page.goto(`/search?query=${encodeURIComponent('São João')}`);
    await expect(
      page.getByRole('main').getByRole('textbox').first(),
    ).toHaveValue('São João');
    await page
      .getByRole('progressbar')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await expect(page.getByText('Hospital São João')).toHaveCount(0);
    await expect(page.getByText('hospital-sao-joao')).toHaveCount(0);
  });
});
