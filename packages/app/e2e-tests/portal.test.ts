import { expect, Page, test } from '@playwright/test';
import { signInAsGuest, tenantEntityAsGuest } from '@prontuario/e2e-utils';

const TENANTS = [
  { name: 'Real Hospital Português', slug: 'real-hospital-portugues' },
  { name: 'Hospital Santa Maria', slug: 'hospital-santa-maria' },
  { name: 'Hospital São João', slug: 'hospital-sao-joao' },
];

/** The link to a tenant's entity page (the owner column links to its group). */
function tenantLink(page: Page, { name, slug }: (typeof TENANTS)[number]) {
  return page
    .getByRole('link', { name, exact: true })
    .and(page.locator(`[href$="/catalog/default/resource/${slug}"]`));
}

test('the portal starts with its own name and guest sign-in works', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Prontuário Médico/);
  await signInAsGuest(page);

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Prontuário portal home' }),
  ).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Create' })).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Prontuário Médico Catalog' }),
  ).toBeVisible();
});

test('the catalog lists the three hospital tenants from the cluster and a tenant page opens', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Hospital tenants' })
    .click();

  for (const tenant of TENANTS) {
    await expect(tenantLink(page, tenant)).toBeVisible();
  }
  await page.screenshot({ path: 'test-results/screenshots/catalog.png' });

  await tenantLink(page, TENANTS[1]).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/resource\/hospital-santa-maria/,
  );
  await expect(
    page.getByRole('heading', { name: 'Hospital Santa Maria' }).first(),
  ).toBeVisible();
  await expect(page.getByText('hospital-tenant').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'About' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/tenant-page.png' });

  // The entity came from the TenantControlPlane on the (simulated) management
  // cluster through the entity provider, not from a file; its location names
  // the tenant only, no cluster URL (packages/backend/README.md).
  const entity = await tenantEntityAsGuest(page, 'hospital-santa-maria');
  expect(entity.metadata.annotations['backstage.io/managed-by-location']).toBe(
    'hospital-tenants:hospital-santa-maria',
  );
});

test("a tenant's Kubernetes tab lists its control-plane pods from the management cluster", async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/resource/hospital-sao-joao/kubernetes');

  const cluster = page.getByRole('button', {
    name: /Management cluster \(Kamaji control planes\)/,
  });
  await expect(cluster).toBeVisible();
  await expect(page.getByText(/^[1-9]\d* pods?$/)).toBeVisible();
  await expect(page.getByText('No pods with errors')).toBeVisible();
  // Every object type the reader lists is readable: no retrieval warning.
  await expect(
    page.getByText('There was a problem retrieving Kubernetes objects'),
  ).toHaveCount(0);

  // The control plane's Deployment, named after the tenant.
  await cluster.click();
  await expect(
    page.getByText('hospital-sao-joao', { exact: true }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/tenant-kubernetes.png',
    fullPage: true,
  });
});
