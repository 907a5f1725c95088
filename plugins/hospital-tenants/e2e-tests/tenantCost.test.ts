import { readFile } from 'node:fs/promises';
import { expect, Page, test, TestInfo } from '@playwright/test';
import { PortalUser, storageStatePath } from '@prontuario/e2e-utils';

/**
 * The cost facet in the running portal (local Kubecost simulator, whose
 * last complete month is the reference one): a hospital user's card and
 * dashboard, a platform engineer's dashboard and CSV, in English and in
 * Portuguese. Screenshots go to the report and to test-results/screenshots.
 */

type Language = 'en' | 'pt-BR';

const LANGUAGE_NAME: Record<Language, string> = {
  en: 'English',
  'pt-BR': 'Português (Brasil)',
};

/** Intl puts a no-break space after "R$" in pt-BR. */
const plain = (s: string) => s.replace(/\s/g, ' ').trim();

const money: Record<Language, (n: string) => string> = {
  en: n => `R$${n.replace(/\./g, ',')}.00`,
  'pt-BR': n => `R$ ${n},00`,
};

async function useLanguage(page: Page, language: Language) {
  await page.goto('/settings');
  const current = page.getByRole('button', {
    name: /^(English|Português \(Brasil\))$/,
  });
  await expect(current).toBeVisible();
  if ((await current.innerText()).trim() !== LANGUAGE_NAME[language]) {
    await current.click();
    await page.getByRole('option', { name: LANGUAGE_NAME[language] }).click();
  }
  await expect(current).toHaveText(LANGUAGE_NAME[language]);
}

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = `test-results/screenshots/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The last complete month in São Paulo, `YYYY-MM`. */
function lastMonth(): string {
  const [year, month] = new Date()
    .toLocaleDateString('en-CA', { timeZone: 'America/Sao_Paulo' })
    .split('-')
    .map(Number);
  const d = new Date(Date.UTC(year, month - 2, 1));
  return d.toISOString().slice(0, 7);
}

/** The dashboard, reloaded until the first cost refresh has landed. */
async function dashboard(page: Page, expectedTotal: string) {
  const total = page.getByTestId('dashboard-total');
  await expect(async () => {
    await page.goto('/hospital-tenants');
    await expect(total).toBeVisible({ timeout: 20_000 });
    expect(plain(await total.innerText())).toBe(expectedTotal);
  }).toPass({ timeout: 120_000 });
}

for (const language of ['en', 'pt-BR'] as const) {
  test.describe(`in ${LANGUAGE_NAME[language]}`, () => {
    test.describe('sofia.santamaria (Hospital Santa Maria)', () => {
      const user: PortalUser = 'sofia.santamaria';
      test.use({ storageState: storageStatePath(user) });

      test('sees last month on her card, and only her tenant on the dashboard', async ({
        page,
      }, testInfo) => {
        test.setTimeout(240_000);
        await useLanguage(page, language);

        await expect(async () => {
          await page.goto('/catalog/default/resource/hospital-santa-maria');
          await expect(page.getByTestId('previous-month')).toBeVisible({
            timeout: 20_000,
          });
        }).toPass({ timeout: 120_000 });
        expect(
          plain(await page.getByTestId('previous-month').innerText()),
        ).toBe(money[language]('34.300'));
        // the daily trend: the chart and its table alternative
        await expect(
          page.locator('[data-testid="cost-chart"] svg').first(),
        ).toBeVisible();
        const card = page.locator('.MuiCard-root').filter({
          has: page.getByTestId('previous-month'),
        });
        await card.scrollIntoViewIfNeeded();
        await testInfo.attach(`tenant-cost-card-${language}`, {
          body: await card.screenshot({
            path: `test-results/screenshots/tenant-cost-card-${language}.png`,
          }),
          contentType: 'image/png',
        });

        // the Tenant tab: the monthly history, last month at R$ 34.300
        await page.goto('/catalog/default/resource/hospital-santa-maria');
        await page
          .getByRole('navigation', { name: 'Content navigation' })
          .getByRole('link', { name: 'Tenant', exact: true })
          .click();
        const history = page.getByRole('table', {
          name: language === 'en' ? 'Monthly cost' : 'Custo mensal',
        });
        await expect(history).toBeAttached();
        const october = history.getByRole('row').filter({
          hasText: lastMonth(),
        });
        await expect(october).toHaveCount(1);
        expect(plain(await october.innerText())).toContain(
          money[language]('34.300'),
        );

        await dashboard(page, money[language]('34.300'));
        const rows = page.locator('[data-testid^="tenant-"]');
        await expect(rows).toHaveCount(1);
        await expect(rows.first()).toHaveAttribute(
          'data-testid',
          'tenant-hospital-santa-maria',
        );
        for (const other of [
          'São João',
          'Real Hospital',
          'sao-joao',
          'real-hospital',
        ]) {
          await expect(page.getByText(other)).toHaveCount(0);
        }
        await screenshot(page, testInfo, `cost-dashboard-hospital-${language}`);

        // her tenant's budget crossing this month (the simulator's current
        // month runs at last month's pace: at risk), and nobody else's
        await expect(async () => {
          await page.goto('/notifications');
          await expect(
            page.getByText(/^Hospital Santa Maria: custo /).first(),
          ).toBeVisible({ timeout: 15_000 });
        }).toPass({ timeout: 120_000 });
        await expect(page.getByText(/São João|Real Hospital/)).toHaveCount(0);
        await screenshot(page, testInfo, `cost-notification-${language}`);
      });
    });

    test.describe('ana.platform (platform engineer)', () => {
      const user: PortalUser = 'ana.platform';
      test.use({ storageState: storageStatePath(user) });

      test('her dashboard totals R$ 58.000 and the CSV has one row per tenant', async ({
        page,
      }, testInfo) => {
        test.setTimeout(240_000);
        await useLanguage(page, language);
        await dashboard(page, money[language]('58.000'));
        const rows = page.locator('[data-testid^="tenant-"]');
        const tenants = await rows.count();
        expect(tenants).toBeGreaterThanOrEqual(3);
        await expect(
          page.locator('[data-testid="cost-chart"] svg').first(),
        ).toBeVisible();
        await screenshot(page, testInfo, `cost-dashboard-platform-${language}`);

        // the CSV, fetched with her credentials
        const downloading = page.waitForEvent('download');
        await page
          .getByRole('button', {
            name: language === 'en' ? 'Download CSV' : 'Baixar CSV',
          })
          .click();
        const download = await downloading;
        const csv = await readFile((await download.path())!, 'utf8');
        const lines = csv.split('\r\n').filter(Boolean);
        expect(lines).toHaveLength(1 + tenants);
        if (language === 'pt-BR') {
          expect(csv.startsWith('\uFEFF')).toBe(true);
          expect(lines[0]).toContain('período;tenant;');
          expect(csv).toContain(';34300,00;');
        } else {
          expect(lines[0]).toContain('period,tenant,');
          expect(csv).toContain(',34300.00,');
        }
        for (const slug of [
          'hospital-santa-maria',
          'hospital-sao-joao',
          'real-hospital-portugues',
        ]) {
          // the tenant column, exactly (a tenant provisioned by another e2e
          // test, "hospital-sao-joao-unidade-norte-…", starts with the same words)
          const separator = language === 'pt-BR' ? ';' : ',';
          expect(
            lines.filter(l => l.split(separator)[1] === slug),
          ).toHaveLength(1);
        }
      });
    });
  });
}
