import { expect, Page, test } from '@playwright/test';
import {
  BACKEND_URL,
  oidcToken,
  storageStatePath,
} from '@prontuario/e2e-utils';

/**
 * The "Tenant isolation" card on a tenant's page, read live by the tenant
 * API from the (simulated) management cluster: as the tenant's owner, and as
 * a hospital user who must not learn that another hospital's tenant exists.
 */
test.use({ storageState: storageStatePath('sofia.santamaria') });

async function isolationAsApi(page: Page, tenantId: string) {
  const token = await oidcToken(page);
  return page.request.get(
    `${BACKEND_URL}/api/hospital-tenants/tenants/${encodeURIComponent(
      tenantId,
    )}/isolation`,
    { headers: { authorization: `Bearer ${token}` } },
  );
}

test('her tenant page shows the Tenant isolation card with live checks', async ({
  page,
}) => {
  await page.goto('/catalog/default/resource/hospital-santa-maria');
  const card = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Tenant isolation' });
  await expect(card.getByText('Isolation score')).toBeVisible();
  await expect(card.locator('[data-result]').first()).toBeVisible();

  // The page shows what the API answers her, check by check.
  const res = await isolationAsApi(page, 'hospital-santa-maria');
  expect(res.status()).toBe(200);
  const isolation = await res.json();
  expect(isolation.checks.length).toBeGreaterThan(0);
  for (const check of isolation.checks.slice(0, 3)) {
    await expect(
      card.getByText(check.title, { exact: true }).first(),
    ).toBeVisible();
  }
  await expect(card.locator('[data-result]')).toHaveCount(
    isolation.checks.length,
  );

  // The portal's wiring of the RBAC checks: the reader may list the
  // management cluster's ClusterRoleBindings (deploy/rbac), and her
  // department namespaces are bound to her hospital's cluster group as her
  // tenant's API server names it (examples/org.yaml behind the OIDC prefix).
  const result = (id: string) =>
    isolation.checks.find((c: { id: string }) => c.id === id);
  expect(result('management.rbac')).toMatchObject({ result: 'pass' });
  expect(result('tenant.rbac')).toMatchObject({
    result: 'pass',
    evidence: expect.arrayContaining([
      expect.stringContaining('only to oidc:hospital:hospital-santa-maria'),
    ]),
  });
});

test("another hospital's tenant page is a not-found page, like an unknown tenant", async ({
  page,
}) => {
  await page.goto('/catalog/default/resource/no-such-hospital-tenant');
  const notFound = page.getByText(/not found/i).first();
  await expect(notFound).toBeVisible();
  const unknownText = await notFound.innerText();

  await page.goto('/catalog/default/resource/hospital-sao-joao');
  await expect(page.getByText(unknownText).first()).toBeVisible();
  await expect(page.getByText('Hospital São João')).toHaveCount(0);
  await expect(page.getByText('Tenant isolation')).toHaveCount(0);

  // The tenant API answers her the same for both.
  const hidden = await isolationAsApi(page, 'hospital-sao-joao');
  const unknown = await isolationAsApi(page, 'no-such-hospital-tenant');
  expect(hidden.status()).toBe(404);
  expect(unknown.status()).toBe(404);
  expect((await hidden.json()).error.message).toBe(
    (await unknown.json()).error.message.replace(
      'no-such-hospital-tenant',
      'hospital-sao-joao',
    ),
  );
});
