import { Browser, expect, Page, test } from '@playwright/test';
import {
  BACKEND_URL,
  oidcToken,
  PortalUser,
  storageStatePath,
} from '@prontuario/e2e-utils';

/**
 * What is still loading: indeterminate progress indicators only (the cards'
 * quota and budget bars are determinate progress bars that stay).
 */
const loading = (page: Page) =>
  page.locator('[role="progressbar"]:not([aria-valuenow])');

/**
 * Hospitals are competitors: signed in through the real OIDC flow, a
 * hospital's user finds no trace of another hospital (its tenant, group or
 * people) anywhere in the portal, and a finance user sees every tenant but
 * nothing of the clusters. The visibility rule is the table in
 * packages/backend/README.md; these tests check what Chromium shows against
 * what the backend serves the same person with their own token.
 */

/**
 * Anything naming Hospital São João or Real Hospital Português, their groups
 * and people (`joao.saojoao`, `rita.rhp`, their e-mail domains), in any
 * spelling the portal could show: titles, slugs, refs, encoded links.
 */
const OTHER_HOSPITAL =
  /s[ãa]o[\s._-]*jo[ãa]o|portugu[êe]s|\brhp\b|\brita\b|\bjo[ãa]o\b/i;

/** Everything the page shows or links to, SVG graph labels included. */
async function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const decode = (value: string) => {
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    };
    const texts = [document.title, document.body.innerText];
    document.querySelectorAll('svg text, svg title').forEach(node => {
      texts.push(node.textContent ?? '');
    });
    document
      .querySelectorAll('[href], [title], [aria-label], [alt], input')
      .forEach(node => {
        for (const attr of ['href', 'title', 'aria-label', 'alt', 'value']) {
          const value = node.getAttribute(attr);
          if (value) {
            texts.push(decode(value));
          }
        }
      });
    return texts.flatMap(text => text.split('\n'));
  });
}

/**
 * Fails with the offending lines when the page names another hospital;
 * `typed` is what the user typed herself (the search box echoes it).
 */
async function expectNoOtherHospital(page: Page, typed?: string) {
  const leaks = (await pageTexts(page)).filter(line =>
    OTHER_HOSPITAL.test(typed ? line.split(typed).join('') : line),
  );
  expect(leaks, `on ${page.url()}`).toEqual([]);
}

/** The backend's answer to `path` for the page's signed-in user. */
async function apiAs(page: Page, token: string, path: string) {
  const res = await page.request.get(`${BACKEND_URL}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status(), body: await res.text() };
}

async function apiJsonAs<T>(page: Page, token: string, path: string) {
  const { status, body } = await apiAs(page, token, path);
  expect(status, `${path}: ${body}`).toBe(200);
  return JSON.parse(body) as T;
}

/** A second signed-in person in the same test (for a positive control). */
async function pageOf(browser: Browser, user: PortalUser) {
  const context = await browser.newContext({
    storageState: storageStatePath(user),
  });
  const page = await context.newPage();
  await page.goto('/');
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  return { page, close: () => context.close() };
}

type EntityList = {
  items: Array<{ kind: string; metadata: { name: string } }>;
  totalItems: number;
};
type Facets = {
  facets: Record<string, Array<{ value: string; count: number }>>;
};

/** Opens the catalog's Kind picker and returns its options' names. */
async function openKindPicker(page: Page) {
  await page.locator('[data-testid="select"][aria-label="Kind"]').click();
  const options = page.getByRole('listbox').getByRole('option');
  await expect(options.first()).toBeVisible();
  return options;
}

test.describe('a hospital user (Sofia, Hospital Santa Maria)', () => {
  test.use({ storageState: storageStatePath('sofia.santamaria') });

  test('the catalog list names no other hospital, for every kind of the kind picker', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto('/?filters%5Buser%5D=all');
    const token = await oidcToken(page);
    const { facets } = await apiJsonAs<Facets>(
      page,
      token,
      '/api/catalog/entity-facets?facet=kind',
    );
    const kinds = facets.kind.map(({ value }) => value);
    // Her kinds: no Template or Location (platform only).
    expect(kinds).not.toContain('Template');
    expect(kinds).not.toContain('Location');

    const options = await openKindPicker(page);
    await expect
      .poll(async () => (await options.allInnerTexts()).sort())
      .toEqual([...kinds].sort());
    await page.keyboard.press('Escape');

    for (const kind of kinds) {
      const list = await apiJsonAs<EntityList>(
        page,
        token,
        `/api/catalog/entities/by-query?filter=kind=${encodeURIComponent(
          kind,
        )}&limit=100`,
      );
      expect(JSON.stringify(list)).not.toMatch(OTHER_HOSPITAL);

      await (await openKindPicker(page))
        .getByText(kind, { exact: true })
        .click();
      // The page and the API agree on how many she may see.
      await expect(
        page
          .getByRole('heading', {
            name: new RegExp(`^All .+ \\(${list.totalItems}\\)$`),
          })
          .first(),
      ).toBeVisible();
      await expect(loading(page)).toHaveCount(0);
      await expectNoOtherHospital(page);

      if (kind === 'Resource') {
        await expect(
          page.getByRole('link', { name: 'Hospital Santa Maria', exact: true }),
        ).not.toHaveCount(0);
        await page.screenshot({
          path: 'test-results/screenshots/hospital-user-catalog.png',
        });
      }
    }

    // The facets behind the owner and other pickers, relation facets
    // included, count only what she may see.
    for (const facet of [
      'relations.hasPart',
      'relations.ownedBy',
      'relations.ownerOf',
      'relations.hasMember',
    ]) {
      const { body } = await apiAs(
        page,
        token,
        `/api/catalog/entity-facets?facet=${facet}`,
      );
      expect(body).not.toMatch(OTHER_HOSPITAL);
    }
  });

  const OWN_PAGES = [
    {
      path: '/catalog/default/resource/hospital-santa-maria',
      title: 'Hospital Santa Maria',
      shows: 'Hospital Santa Maria',
    },
    {
      path: '/catalog/default/group/hospital-santa-maria',
      title: 'Hospital Santa Maria',
      shows: 'Sofia (Hospital Santa Maria)',
    },
    {
      path: '/catalog/default/system/prontuario-medico',
      title: 'Prontuário Médico',
      shows: 'Prontuário platform portal',
    },
    {
      path: '/catalog/default/group/platform-engineering',
      title: 'Platform Engineering',
      shows: 'Bruno SRE',
    },
    {
      path: '/catalog/default/domain/saude',
      title: 'Saúde digital',
      shows: 'Prontuário Médico',
    },
    {
      path: '/catalog/default/user/sofia.santamaria',
      title: 'Sofia (Hospital Santa Maria)',
      shows: 'sofia@santamaria.example',
    },
  ];

  for (const { path, title, shows } of OWN_PAGES) {
    test(`${path} and its relations graph name no other hospital`, async ({
      page,
    }) => {
      await page.goto(path);
      await expect(
        page.getByRole('heading', { name: title }).first(),
      ).toBeVisible();
      // The relations card has drawn its graph, the other cards their rows.
      const node = page.locator('svg text', { hasText: title }).first();
      await expect(node).toBeVisible();
      await expect(page.getByText(shows).first()).toBeVisible();
      await expect(loading(page)).toHaveCount(0);
      await expectNoOtherHospital(page);

      // The whole graph from this entity: every relation, any depth.
      await page.getByRole('link', { name: 'View graph' }).click();
      await expect(page).toHaveURL(/\/catalog-graph\?/);
      const [kind, name] = path.split('/').slice(-2);
      await page.goto(
        `/catalog-graph?rootEntityRefs%5B%5D=${encodeURIComponent(
          `${kind}:default/${name}`,
        )}&maxDepth=%E2%88%9E&unidirectional=false`,
      );
      await expect(node).toBeVisible();
      await expect(loading(page)).toHaveCount(0);
      await expectNoOtherHospital(page);
    });
  }

  test('the System page has only platform components: no tenant in "Has resources"', async ({
    page,
  }) => {
    await page.goto('/catalog/default/system/prontuario-medico');
    await expect(
      page.getByText('No resource is part of this system.'),
    ).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Prontuário platform portal' }).first(),
    ).toBeVisible();
    await page.screenshot({
      path: 'test-results/screenshots/hospital-user-system.png',
      fullPage: true,
    });
    const token = await oidcToken(page);
    const system = await apiJsonAs<{
      relations: Array<{ type: string; targetRef: string }>;
    }>(
      page,
      token,
      '/api/catalog/entities/by-name/system/default/prontuario-medico',
    );
    expect(
      system.relations
        .filter(({ type }) => type === 'hasPart')
        .map(({ targetRef }) => targetRef),
    ).toEqual(['component:default/prontuario-portal']);
  });

  for (const term of ['São João', 'sao joao', 'Português', 'hospital']) {
    test(`search for "${term}" finds nothing of another hospital`, async ({
      page,
      browser,
    }) => {
      // Control: the index has another hospital for a platform engineer.
      if (term !== 'hospital') {
        const ana = await pageOf(browser, 'ana.platform');
        const anaToken = await oidcToken(ana.page);
        await expect
          .poll(
            async () =>
              (
                await apiAs(
                  ana.page,
                  anaToken,
                  '/api/search/query?term=hospital',
                )
              ).body,
            { timeout: 60_000 },
          )
          .toMatch(OTHER_HOSPITAL);
        await ana.close();
      }

      await page.goto('/search');
      const box = page.getByRole('textbox', { name: /search/i }).first();
      await expect(box).toBeVisible();
      const answered = page.waitForResponse(
        res =>
          res.url().startsWith(`${BACKEND_URL}/api/search/query`) &&
          new URL(res.url()).searchParams.get('term') === term,
      );
      await box.fill(term);
      const response = await answered;
      expect(response.ok()).toBe(true);
      const { results } = (await response.json()) as {
        results: Array<{ document: { title: string } }>;
      };
      expect(JSON.stringify(results)).not.toMatch(OTHER_HOSPITAL);
      // The page shows what the API answered her, and nothing more.
      for (const { document } of results) {
        await expect(
          page.getByText(document.title, { exact: true }).first(),
        ).toBeVisible();
      }
      if (term === 'hospital') {
        await expect(
          page.getByText('Hospital Santa Maria', { exact: true }).first(),
        ).toBeVisible();
      }
      await expect(loading(page)).toHaveCount(0);
      await expectNoOtherHospital(page, term);
    });
  }

  test("another hospital's pages are not found, exactly like an unknown name", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const token = await oidcToken(page);
    const notFound = async (kind: string, name: string) => {
      await page.goto(`/catalog/default/${kind}/${name}`);
      await expect(page.getByText('Entity not found')).toBeVisible();
      // The page names the address she typed, in lower case.
      const main = (await page.locator('main').innerText())
        .split(name.toLowerCase())
        .join('<name>');
      const api = await apiAs(
        page,
        token,
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
      );
      return {
        main,
        status: api.status,
        body: api.body.replaceAll(name, '<name>'),
      };
    };
    const unknownTenant = await notFound('resource', 'no-such-hospital');
    expect(unknownTenant.status).toBe(404);
    for (const [kind, name] of [
      ['resource', 'hospital-sao-joao'],
      ['resource', 'real-hospital-portugues'],
      ['resource', 'HOSPITAL-SAO-JOAO'],
    ]) {
      const hidden = await notFound(kind, name);
      expect(hidden.main).toBe(unknownTenant.main);
      expect(hidden.status).toBe(404);
      expect(hidden.body).toBe(unknownTenant.body);
    }
    await page.screenshot({
      path: 'test-results/screenshots/hospital-user-other-tenant.png',
    });
    const unknownGroup = await notFound('group', 'no-such-hospital');
    for (const [kind, name] of [
      ['group', 'hospital-sao-joao'],
      ['group', 'real-hospital-portugues'],
    ]) {
      const hidden = await notFound(kind, name);
      expect(hidden.main).toBe(unknownGroup.main);
      expect(hidden.status).toBe(404);
    }
    const unknownUser = await notFound('user', 'no.such.person');
    for (const name of ['joao.saojoao', 'rita.rhp']) {
      const hidden = await notFound('user', name);
      expect(hidden.main).toBe(unknownUser.main);
      expect(hidden.status).toBe(404);
    }
  });
});

test.describe('a finance user (Fátima)', () => {
  test.use({ storageState: storageStatePath('fatima.finance') });

  const TENANTS = [
    { name: 'Hospital Santa Maria', slug: 'hospital-santa-maria' },
    { name: 'Hospital São João', slug: 'hospital-sao-joao' },
    { name: 'Real Hospital Português', slug: 'real-hospital-portugues' },
  ];

  test('she sees every tenant in the catalog', async ({ page }) => {
    await page.goto('/');
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Hospital tenants' })
      .click();
    for (const { name, slug } of TENANTS) {
      await expect(
        page
          .getByRole('link', { name, exact: true })
          .and(page.locator(`[href$="/catalog/default/resource/${slug}"]`)),
      ).toBeVisible();
    }
    await page.screenshot({
      path: 'test-results/screenshots/finance-catalog.png',
    });
    const token = await oidcToken(page);
    const list = await apiJsonAs<EntityList>(
      page,
      token,
      '/api/catalog/entities/by-query?filter=kind=resource,spec.type=hospital-tenant',
    );
    expect(list.items.map(({ metadata }) => metadata.name).sort()).toEqual(
      TENANTS.map(({ slug }) => slug).sort(),
    );
  });

  test('no tenant page has a Kubernetes tab', async ({ page }) => {
    for (const { name, slug } of TENANTS) {
      await page.goto(`/catalog/default/resource/${slug}`);
      await expect(page.getByRole('heading', { name }).first()).toBeVisible();
      const tabs = page.getByRole('navigation', {
        name: 'Content navigation',
      });
      await expect(tabs.getByRole('link', { name: 'Overview' })).toBeVisible();
      await expect(tabs.getByRole('link', { name: 'Kubernetes' })).toHaveCount(
        0,
      );
    }
    const token = await oidcToken(page);
    const k8s = await apiAs(page, token, '/api/kubernetes/clusters');
    expect(k8s.status).toBe(403);
  });

  test('the New Hospital Tenant template is not offered to her', async ({
    page,
  }) => {
    await page.goto('/create');
    await expect(
      page.getByText(/No templates found|Templates/).first(),
    ).toBeVisible();
    await expect(loading(page)).toHaveCount(0);
    await expect(page.getByText('New Hospital Tenant')).toHaveCount(0);
    const token = await oidcToken(page);
    const { body } = await apiAs(
      page,
      token,
      '/api/catalog/entities/by-query?filter=kind=template',
    );
    expect(JSON.parse(body).items).toEqual([]);
  });
});
