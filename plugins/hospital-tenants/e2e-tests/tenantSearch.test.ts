import { expect, Page, test } from '@playwright/test';
import {
  BACKEND_URL,
  oidcToken,
  storageStatePath,
} from '@prontuario/e2e-utils';

/**
 * Portal search across tenants on the running portal (Lunr, the local
 * engine): a platform engineer finds Hospital São João first by typing it
 * without accents, and a Santa Maria user finds her own tenant and nothing of
 * another hospital, not even a count.
 *
 * The tenants are indexed on a schedule (app-config.yaml: first run 30 s
 * after start, then every 2 minutes), so each test first waits, bounded,
 * until the search API answers the signed-in user with the tenant indexed.
 */

type SearchResult = {
  type: string;
  document: { title: string; location: string; tenantId?: string };
};
type SearchResponse = { results: SearchResult[]; numberOfResults?: number };

const OTHER_HOSPITAL = /s[ãa]o jo[ãa]o/i;

/** What the search API answers the page's signed-in user for `term`. */
async function searchApi(page: Page, term: string): Promise<SearchResponse> {
  const token = await oidcToken(page);
  const res = await page.request.get(
    `${BACKEND_URL}/api/search/query?term=${encodeURIComponent(term)}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

/** Waits until the search index holds `tenantId` for the page's user. */
async function waitUntilIndexed(page: Page, term: string, tenantId: string) {
  await expect
    .poll(
      async () =>
        (
          await searchApi(page, term)
        ).results.some(
          r => r.type === 'hospital-tenant' && r.document.tenantId === tenantId,
        ),
      {
        message: `tenant ${tenantId} indexed for "${term}"`,
        timeout: 240_000,
        intervals: [2_000, 5_000],
      },
    )
    .toBe(true);
}

/**
 * Types `term` into the search page's box and returns what the backend
 * answered the page.
 */
async function typeInSearchPage(
  page: Page,
  term: string,
): Promise<SearchResponse> {
  await page.goto('/search');
  const box = page.getByRole('textbox', { name: 'Search' });
  await expect(box).toBeVisible();
  // the results' query, not the type filter's count queries (one type
  // each, pageLimit 0)
  const answered = page.waitForResponse(res => {
    if (!res.url().startsWith(`${BACKEND_URL}/api/search/query`)) return false;
    const params = new URL(res.url()).searchParams;
    return (
      params.get('term') === term &&
      params.get('pageLimit') !== '0' &&
      ![...params.keys()].some(key => key.startsWith('types'))
    );
  });
  await box.fill(term);
  const response = await answered;
  expect(response.ok()).toBe(true);
  return response.json();
}

/**
 * The links of the results on the search page, in their order. The page has
 * no `main` landmark (the last session's version waited for one and timed
 * out): the results are the list items linking into the catalog.
 */
const resultLinks = (page: Page) =>
  page.getByRole('listitem').locator('a[href^="/catalog/"]');

test.describe('as a platform engineer', () => {
  test.use({ storageState: storageStatePath('ana.platform') });

  test('"sao joao" shows Hospital São João as the first result and opens it', async ({
    page,
  }) => {
    test.setTimeout(360_000);
    await page.goto('/');
    await waitUntilIndexed(page, 'sao joao', 'hospital-sao-joao');

    const answered = await typeInSearchPage(page, 'sao joao');
    expect(answered.results[0]).toMatchObject({
      type: 'hospital-tenant',
      document: { title: 'Hospital São João' },
    });
    // The person João and the group of the same name match too; they come
    // after the tenant (the portal's Lunr engine ranks by name match).
    test.info().annotations.push({
      type: 'other results',
      description: answered.results
        .slice(1, 5)
        .map(r => r.document.location)
        .join(', '),
    });

    const first = resultLinks(page).first();
    await expect(first).toHaveText('Hospital São João');
    await expect(first).toHaveAttribute(
      'href',
      '/catalog/default/resource/hospital-sao-joao',
    );
    await first.click();
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

  test('"santa" shows her own tenant first and opens it', async ({ page }) => {
    test.setTimeout(360_000);
    await page.goto('/');
    await waitUntilIndexed(page, 'santa', 'hospital-santa-maria');

    const answered = await typeInSearchPage(page, 'santa');
    expect(answered.results[0]).toMatchObject({
      type: 'hospital-tenant',
      document: { tenantId: 'hospital-santa-maria' },
    });
    const first = resultLinks(page).first();
    await expect(first).toHaveText('Hospital Santa Maria');
    await expect(first).toHaveAttribute(
      'href',
      '/catalog/default/resource/hospital-santa-maria',
    );
    await first.click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/resource\/hospital-santa-maria$/,
    );
    await expect(
      page.getByRole('heading', { name: 'Hospital Santa Maria' }).first(),
    ).toBeVisible();
  });

  test('"São João" shows no tenant result and no count', async ({ page }) => {
    test.setTimeout(360_000);
    await page.goto('/');
    // The index is built (her own tenant is in it, from the same collator
    // run as São João's), so an empty answer means filtered, not missing.
    await waitUntilIndexed(page, 'santa', 'hospital-santa-maria');

    const answered = await typeInSearchPage(page, 'São João');
    expect(answered.results.filter(r => r.type === 'hospital-tenant')).toEqual(
      [],
    );
    expect(JSON.stringify(answered)).not.toMatch(OTHER_HOSPITAL);
    expect(answered.numberOfResults).toBeUndefined();

    // The page shows what the API answered her, and nothing more: no tenant,
    // no count (the type filter's counts are "--" for a filtered search),
    // the other hospital's name only in her own search box.
    await expect(page.getByRole('textbox', { name: 'Search' })).toHaveValue(
      'São João',
    );
    const typeFilter = page.getByRole('navigation', { name: 'filter by type' });
    for (const type of ['All', 'Hospital tenants']) {
      await expect(
        typeFilter.getByRole('button', { name: new RegExp(`^${type}`) }),
      ).toHaveText(new RegExp(`^${type}\\s*--\\s*$`));
    }
    for (const { document } of answered.results) {
      await expect(
        resultLinks(page).filter({ hasText: document.title }).first(),
      ).toBeVisible();
    }
    await expect(resultLinks(page)).toHaveCount(answered.results.length);
    await expect(
      page.locator('a[href^="/catalog/default/resource/"]'),
    ).toHaveCount(0);
    expect(await page.locator('body').innerText()).not.toMatch(OTHER_HOSPITAL);
  });
});
