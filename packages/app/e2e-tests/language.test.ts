import { expect, test } from '@playwright/test';
import { signInAsGuest } from '@prontuario/e2e-utils';

test("switching the language to Português changes the portal's own strings", async ({
  page,
}) => {
  await signInAsGuest(page);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Hospital tenants' }),
  ).toBeVisible();
  await expect(
    nav.getByRole('link', { name: 'Prontuário portal home' }),
  ).toBeVisible();

  await page.goto('/settings');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('option', { name: 'Português (Brasil)' }).click();

  await expect(
    nav.getByRole('link', { name: 'Hospitais', exact: true }),
  ).toBeVisible();
  await expect(
    nav.getByRole('link', { name: 'Início do portal Prontuário' }),
  ).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Hospital tenants' })).toHaveCount(
    0,
  );
  await page.screenshot({ path: 'test-results/screenshots/pt-BR.png' });

  // The choice is remembered across a reload.
  await page.reload();
  await expect(
    nav.getByRole('link', { name: 'Hospitais', exact: true }),
  ).toBeVisible();
});
