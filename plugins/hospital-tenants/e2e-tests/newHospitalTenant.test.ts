import { expect, test } from '@playwright/test';
// The shared sign-in helper of the root Playwright suite.
import { signInAsGuest, tenantEntityAsGuest } from '@prontuario/e2e-utils';

/*
 * A platform engineer onboards a fourth hospital through the "New Hospital
 * Tenant" template on the running portal (guest = platform engineer; the
 * local simulators stand in for the management cluster), reviews the sizing
 * and cost, runs it, and lands on the tenant's entity page and its
 * Kubernetes tab. Screenshots: test-results/screenshots/.
 */

// Unique per run, so the test can be repeated against the same simulator.
const suffix = Date.now().toString(36).slice(-5);
const HOSPITAL = `Hospital São João Unidade Norte ${suffix}`;
const SLUG = `hospital-sao-joao-unidade-norte-${suffix}`;

test('a platform engineer creates a fourth hospital tenant from the template', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);

  await page.goto('/create/templates/default/new-hospital-tenant');
  await expect(
    page.getByRole('heading', { name: 'New Hospital Tenant' }).first(),
  ).toBeVisible();

  // Step 1: the hospital. The tenant ID follows the name as it is typed.
  await page.locator('#root_displayName').fill(HOSPITAL);
  await expect(page.locator('#root_slug')).toHaveValue(SLUG);
  await expect(page.getByTestId('tenant-slug-status')).toHaveAttribute(
    'data-state',
    'available',
  );
  // Only hospital groups (with a cluster group) are offered.
  const owner = page.locator('#root_ownerGroup');
  await owner.click();
  await owner.fill('São João');
  await page
    .getByRole('option', { name: 'Hospital São João', exact: true })
    .click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: placement and size; regions and environments come from config.
  await page.getByRole('button', { name: /Region/ }).click();
  await page
    .getByRole('option', { name: 'São Paulo (southamerica-east1)' })
    .click();
  await page.getByRole('button', { name: /Environment/ }).click();
  await page.getByRole('option', { name: 'production' }).click();
  await page.locator('#root_dailyUsers').fill('180');
  for (const [index, department] of [
    'Pronto-Socorro',
    'Pediatria',
    'Oncologia',
  ].entries()) {
    // minItems 1: the first department's box is already there.
    if (index > 0) {
      await page.getByRole('button', { name: 'Add Item' }).click();
    }
    await page.locator(`#root_departments_${index}`).fill(department);
  }
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 3: budget, SLA (defaults from the brief), platform defaults.
  await page.locator('#root_monthlyBudgetBrl').fill('20000');
  await expect(page.locator('#root_sla_p95Seconds')).toHaveValue('2');
  await expect(
    page.getByRole('button', { name: /Kubernetes version/ }),
  ).toContainText('v1.35.7');
  await expect(page.getByLabel('Approved external APIs')).toHaveValue(
    '200.160.0.0/20',
  );
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 4: the review, before anything runs.
  const review = page.getByTestId('tenant-review');
  await expect(review).toBeVisible();
  await expect(page.getByTestId('review-tier')).toHaveText('medium');
  await expect(page.getByTestId('review-replicas')).toHaveText('2');
  await expect(page.getByTestId('review-entity-ref')).toHaveText(
    `resource:default/${SLUG}`,
  );
  await expect(
    page.getByTestId('review-department-pronto-socorro'),
  ).toBeVisible();
  await expect(page.getByTestId('review-cost-range')).toContainText('R$');
  await expect(page.getByTestId('review-budget')).toContainText(
    'within the budget',
  );
  await page.screenshot({
    path: 'test-results/screenshots/new-hospital-tenant-review.png',
    fullPage: true,
  });

  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs against the simulator until the tenant entity exists.
  await expect(page).toHaveURL(/\/create\/tasks\//);
  const openTenant = page.getByRole('link', { name: 'Open the tenant' });
  await expect(openTenant).toBeVisible({ timeout: 240_000 });
  await expect(page.getByRole('link', { name: 'Task log' })).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/new-hospital-tenant-task.png',
    fullPage: true,
  });

  // The provider-created entity page, then its Kubernetes tab.
  await openTenant.click();
  await expect(page).toHaveURL(new RegExp(`/catalog/default/resource/${SLUG}`));
  await expect(
    page.getByRole('heading', { name: HOSPITAL }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/new-hospital-tenant-entity.png',
    fullPage: true,
  });
  // Emitted by the entity provider from the new TenantControlPlane.
  const { annotations } = (await tenantEntityAsGuest(page, SLUG)).metadata;
  expect(annotations['hospital-tenants.io/tenant-id']).toBe(SLUG);
  // Its location names the tenant only, no cluster URL
  // (packages/backend/README.md, the visibility rule).
  expect(annotations['backstage.io/managed-by-location']).toBe(
    `hospital-tenants:${SLUG}`,
  );

  await page.getByRole('link', { name: 'Kubernetes' }).click();
  await expect(page).toHaveURL(/\/kubernetes/);
  await expect(
    page.getByRole('button', {
      name: /Management cluster \(Kamaji control planes\)/,
    }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/^[1-9]\d* pods?$/)).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/new-hospital-tenant-kubernetes.png',
    fullPage: true,
  });
});

test('the form fields speak Brazilian Portuguese when the portal does', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/settings');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('option', { name: 'Português (Brasil)' }).click();

  await page.goto('/create/templates/default/new-hospital-tenant');
  await page.locator('#root_displayName').fill('Hospital Ação Social');
  await expect(
    page.getByRole('textbox', { name: /ID do tenant \(slug\)/ }),
  ).toHaveValue('hospital-acao-social');
  await expect(page.getByTestId('tenant-slug-status')).toContainText(
    'Disponível no catálogo',
  );
  await page.screenshot({
    path: 'test-results/screenshots/new-hospital-tenant-pt-BR.png',
  });
});
