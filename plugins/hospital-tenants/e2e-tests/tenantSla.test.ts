import { expect, Locator, Page, test } from '@playwright/test';
import { storageStatePath } from '@prontuario/e2e-utils';

/**
 * The tenant SLA in Chromium, over the local Prometheus simulator (whose
 * series burn São João's error budget, fast-burn alert firing, and meet
 * every target for Santa Maria): the "Tenant SLA" card, the monthly report
 * it opens, the SLA history on the "Tenant" tab, and the dashboard's SLA
 * column (present for the platform, absent for finance).
 */

/** The SLA card once the scheduled refresh has computed the tenant's SLA (503 until then). */
async function slaCard(page: Page, tenantId: string): Promise<Locator> {
  const card = page.locator('.MuiCard-root').filter({ hasText: 'Tenant SLA' });
  await page.goto(`/catalog/default/resource/${tenantId}`);
  await expect(async () => {
    if (!(await card.locator('[data-verdict]').first().isVisible())) {
      await page.reload();
    }
    await expect(card.locator('[data-verdict]').first()).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 120_000 });
  return card;
}

test.describe('São João, as its own user', () => {
  test.use({ storageState: storageStatePath('joao.saojoao') });

  test('the SLA card shows the SLA at risk or breached with the fast-burn alert, and the monthly report opens in Portuguese', async ({
    page,
    context,
  }) => {
    const card = await slaCard(page, 'hospital-sao-joao');
    const verdict = await card
      .locator('[data-verdict]')
      .first()
      .getAttribute('data-verdict');
    expect(['at-risk', 'breached']).toContain(verdict);
    await expect(card.locator('[data-alert="page"]')).toHaveText(
      /page: the budget is burning fast/,
    );

    const opened = context.waitForEvent('page');
    await card.getByRole('button', { name: /Monthly report/ }).click();
    const report = await opened;
    await report.waitForLoadState();
    // the hospital's language (the portal default, pt-BR) and its figures
    await expect(report.locator('html')).toHaveAttribute('lang', 'pt-BR');
    await expect(report.getByText(/Relatório de SLA/).first()).toBeVisible();
    await expect(report.getByText(/hospital-sao-joao/).first()).toBeVisible();
    await report.close();
  });

  test('the Tenant tab shows the SLA history, the running month first', async ({
    page,
  }) => {
    await page.goto('/catalog/default/resource/hospital-sao-joao/tenant');
    const history = page.getByRole('table', { name: 'SLA history' });
    await expect(history).toBeVisible({ timeout: 60_000 });
    const months = history.locator('tr[data-period]');
    await expect(months).toHaveCount(6);
    await expect(months.first()).toContainText('(so far)');
    await expect(months.first().locator('[data-verdict]')).toBeVisible();
  });
});

test.describe('Santa Maria, as its own user', () => {
  test.use({ storageState: storageStatePath('sofia.santamaria') });

  test('the SLA card shows every target met and no alert', async ({ page }) => {
    const card = await slaCard(page, 'hospital-santa-maria');
    await expect(card.locator('[data-verdict]').first()).toHaveAttribute(
      'data-verdict',
      'met',
    );
    await expect(card.locator('[data-alert="ok"]')).toBeVisible();
  });
});

test.describe('the dashboard table', () => {
  test.describe('as a platform engineer', () => {
    test.use({ storageState: storageStatePath('ana.platform') });

    test("has an SLA column with each tenant's verdict", async ({ page }) => {
      await page.goto('/hospital-tenants');
      await expect(
        page.getByRole('columnheader', { name: 'SLA', exact: true }),
      ).toBeVisible({ timeout: 60_000 });
      const saoJoao = page.getByTestId('sla-hospital-sao-joao');
      await expect(saoJoao.locator('[data-verdict]')).toHaveAttribute(
        'data-verdict',
        /^(at-risk|breached)$/,
      );
      await expect(
        page.getByTestId('sla-hospital-santa-maria').locator('[data-verdict]'),
      ).toHaveAttribute('data-verdict', 'met');
    });
  });

  test.describe('as finance', () => {
    test.use({ storageState: storageStatePath('fatima.finance') });

    test('has no SLA column and no verdict', async ({ page }) => {
      // the list the column would come from
      const listed = page.waitForResponse(r =>
        /\/api\/hospital-tenants\/tenants(\?|$)/.test(r.url()),
      );
      await page.goto('/hospital-tenants');
      expect((await listed).status()).toBe(200);
      await expect(page.getByTestId('tenant-hospital-sao-joao')).toBeVisible({
        timeout: 60_000,
      });
      await expect(
        page.getByRole('columnheader', { name: 'SLA', exact: true }),
      ).toHaveCount(0);
      await expect(page.locator('[data-verdict]')).toHaveCount(0);
    });
  });
});
