import { expect, Response, test } from '@playwright/test';
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
  // Right after start-up the page may load before the backend knows the
  // tenants (its first tenant-index and cost refreshes): the summary it reads
  // once then has no tenant (or is a 503) and the page does not poll. Wait
  // for the data itself: until the page's own summary response lists her
  // tenant, load the page again.
  const summaryOfThePage = () =>
    page.waitForResponse(r =>
      new URL(r.url()).pathname.endsWith('/api/hospital-tenants/costs/summary'),
    );
  const listsHerTenant = async (response: Response) => {
    const body = await response.json().catch(() => undefined);
    return (body?.tenants ?? []).some(
      (t: { tenantId?: string }) => t.tenantId === 'hospital-santa-maria',
    );
  };
  await page.goto('/');
  const first = summaryOfThePage();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Hospital tenants' })
    .click();
  await expect(page).toHaveURL(/\/hospital-tenants/);
  if (!(await listsHerTenant(await first))) {
    await expect(async () => {
      const next = summaryOfThePage();
      await page.reload();
      expect(await listsHerTenant(await next)).toBe(true);
    }).toPass({ timeout: 120_000 });
  }
  const herTenant = page.getByRole('link', {
    name: 'Hospital Santa Maria',
    exact: true,
  });
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
