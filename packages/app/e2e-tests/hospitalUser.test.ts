import { expect, test } from '@playwright/test';
import { storageStatePath } from '@prontuario/e2e-utils';

/**
 * What a hospital's tenant owner sees: Sofia of Hospital Santa Maria, signed
 * in through the local identity provider (prepared once per run).
 */
test.use({ storageState: storageStatePath('sofia.santamaria') });

const OTHER_HOSPITALS = ['Real Hospital Português', 'Hospital São João'];

test('the catalog lists only her hospital among the tenants', async ({
  page,
}) => {
  // the wait for the first refreshes below may take up to two minutes
  test.setTimeout(180_000);
  await page.goto('/');
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Hospital tenants' })
    .click();
  await expect(page).toHaveURL(/\/hospital-tenants/);
  const herTenant = page.getByRole('link', {
    name: 'Hospital Santa Maria',
    exact: true,
  });
  // Right after start-up the page may load before the backend knows the
  // tenants (its first tenant-index and cost refreshes): it then says, once,
  // that there is nothing to show, and does not poll. Wait for the data:
  // each time the page has finished loading without her tenant, load it again.
  await expect(async () => {
    await expect(page.getByRole('progressbar')).toHaveCount(0);
    if (!(await herTenant.isVisible())) {
      await page.reload();
      throw new Error('the dashboard has no tenant data yet');
    }
  }).toPass({ timeout: 120_000 });
  await expect(herTenant).toBeVisible();
  for (const name of OTHER_HOSPITALS) {
    await expect(page.getByText(name)).toHaveCount(0);
  }
});

test('the New Hospital Tenant template is not offered to her', async ({
  page,
}) => {
  await page.goto('/create');
  await expect(
    page.getByText(/No templates found|Templates/).first(),
  ).toBeVisible();
  await expect(page.getByText('New Hospital Tenant')).toHaveCount(0);
});

test('her tenant page has no Kubernetes tab', async ({ page }) => {
  await page.goto('/catalog/default/resource/hospital-santa-maria');
  await expect(
    page.getByRole('heading', { name: 'Hospital Santa Maria' }).first(),
  ).toBeVisible();
  const tabs = page.getByRole('navigation', { name: 'Content navigation' });
  await expect(tabs.getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(tabs.getByRole('link', { name: 'Kubernetes' })).toHaveCount(0);
  // Not reachable by its address either.
  await page.goto('/catalog/default/resource/hospital-santa-maria/kubernetes');
  await expect(tabs.getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(
    page.getByRole('button', { name: /Management cluster/ }),
  ).toHaveCount(0);
});
