import { expect, Page, test } from '@playwright/test';
import {
  BACKEND_URL,
  pickInIdentityProvider,
  PortalUser,
  signInAs,
  storageStatePath,
} from '@prontuario/e2e-utils';

/** The identity the backend gives the page's signed-in OIDC user. */
async function oidcIdentity(page: Page) {
  const res = await page.request.get(
    `${BACKEND_URL}/api/auth/oidc/refresh?env=development`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  return res;
}

test('a hospital user signs in through the local identity provider', async ({
  page,
}) => {
  await signInAs(page, 'sofia.santamaria');
  const res = await oidcIdentity(page);
  expect(res.ok()).toBe(true);
  const { identity } = (await res.json()).backstageIdentity;
  expect(identity.userEntityRef).toBe('user:default/sofia.santamaria');
  expect(identity.ownershipEntityRefs).toEqual(
    expect.arrayContaining(['group:default/hospital-santa-maria']),
  );
  expect(identity.ownershipEntityRefs).not.toContain(
    'group:default/platform-engineering',
  );
  // No platform tooling in her navigation.
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Hospital tenants' }),
  ).toBeVisible();
});

test('a platform engineer signs in through the local identity provider', async ({
  page,
}) => {
  await signInAs(page, 'ana.platform');
  const res = await oidcIdentity(page);
  expect(res.ok()).toBe(true);
  const { identity } = (await res.json()).backstageIdentity;
  expect(identity.userEntityRef).toBe('user:default/ana.platform');
  expect(identity.ownershipEntityRefs).toContain(
    'group:default/platform-engineering',
  );
  await page.goto('/catalog/default/resource/hospital-sao-joao');
  await expect(
    page
      .getByRole('navigation', { name: 'Content navigation' })
      .getByRole('link', { name: 'Kubernetes' }),
  ).toBeVisible();
});

const REFUSED: Array<{ user: PortalUser; message: RegExp }> = [
  {
    user: 'test.unverified',
    message: /did not supply a verified e-mail address/,
  },
  { user: 'test.foreign', message: /domain may not sign in to this portal/ },
  { user: 'test.unknown', message: /no portal user has your e-mail address/ },
  {
    user: 'test.plus-address',
    message: /no portal user has your e-mail address/,
  },
];

for (const { user, message } of REFUSED) {
  test(`${user} is refused with a clear message and nobody is signed in`, async ({
    page,
  }) => {
    await pickInIdentityProvider(page, user);
    await expect(page.getByText(message)).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'sidebar nav' }),
    ).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Enter' })).toBeVisible();
    const res = await oidcIdentity(page);
    expect(res.ok()).toBe(false);
  });
}

test.describe('a prepared session', () => {
  test.use({ storageState: storageStatePath('joao.saojoao') });

  test('survives a reload without signing in again', async ({ page }) => {
    await page.goto('/');
    await expect(
      page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog', exact: true }),
    ).toBeVisible();
    await page.reload();
    await expect(
      page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog', exact: true }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
  });
});

test('a callback with a forged state signs nobody in', async ({ page }) => {
  const res = await page.request.get(
    `${BACKEND_URL}/api/auth/oidc/handler/frame?env=development&code=forged&state=${Buffer.from(
      'nonce=forged&env=development&origin=http://localhost:3000',
    ).toString('base64url')}`,
  );
  const body = await res.text();
  expect(body).toMatch(/nonce|state/i);
  expect(body).not.toContain('backstageIdentity');
  const refresh = await oidcIdentity(page);
  expect(refresh.ok()).toBe(false);
});
