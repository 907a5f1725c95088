import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import { createAllowedDomainResolverFactory, REFUSALS } from './resolver';

const SOFIA = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'sofia.santamaria', namespace: 'default' },
  spec: {
    profile: { email: 'Sofia@SantaMaria.example' },
    memberOf: ['hospital-santa-maria'],
  },
};

/** A resolver context whose catalog holds `users` (matched like the catalog: case-insensitively). */
function context(users: any[]) {
  const signedIn: string[] = [];
  const ctx = {
    findCatalogUser: jest.fn(async ({ filter }: any) => {
      const email = String(filter['spec.profile.email']).toLowerCase();
      const found = users.filter(
        u => u.spec.profile.email.toLowerCase() === email,
      );
      if (found.length !== 1) {
        throw new NotFoundError('User not found');
      }
      return { entity: found[0] };
    }),
    signInWithCatalogUser: jest.fn(async ({ entityRef }: any) => {
      signedIn.push(entityRef);
      return { token: 'a-token' };
    }),
  } as unknown as AuthResolverContext;
  return { ctx, signedIn };
}

function resolver(allowedDomains: string[] = ['santamaria.example']) {
  const auditor = mockServices.auditor.mock();
  const event = { success: jest.fn(), fail: jest.fn() };
  auditor.createEvent.mockResolvedValue(event);
  const resolve = createAllowedDomainResolverFactory({
    auditor,
    logger: mockServices.logger.mock(),
  })({ allowedDomains });
  return { resolve, auditor, event };
}

const info = (email?: string) => ({ profile: { email }, result: {} } as any);

describe('allowedDomainEmailMatchingUserEntity', () => {
  it('signs in the one user whose e-mail is the whole address, in any case', async () => {
    const { resolve, event } = resolver(['SantaMaria.example']);
    const { ctx, signedIn } = context([SOFIA]);
    await expect(
      resolve(info('sofia@santamaria.example'), ctx),
    ).resolves.toEqual({ token: 'a-token' });
    expect(signedIn).toEqual(['user:default/sofia.santamaria']);
    expect(event.success).toHaveBeenCalledWith({
      meta: { userEntityRef: 'user:default/sofia.santamaria' },
    });
  });

  it.each([
    [undefined, 'noVerifiedEmail'],
    ['', 'noVerifiedEmail'],
    ['sofia@evil.example', 'domainNotAllowed'],
    ['sofia@santamaria.example.evil.example', 'domainNotAllowed'],
    ['sofia@sub.santamaria.example', 'domainNotAllowed'],
    ['santamaria.example', 'domainNotAllowed'],
    ['sofia+admin@santamaria.example', 'noUser'],
    ['nobody@santamaria.example', 'noUser'],
  ] as const)(
    'refuses %p (%s) and audits it without the address',
    async (email, reason) => {
      const { resolve, event } = resolver();
      const { ctx, signedIn } = context([SOFIA]);
      await expect(resolve(info(email), ctx)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: REFUSALS[reason],
      });
      expect(signedIn).toEqual([]);
      expect(event.fail).toHaveBeenCalledWith(
        expect.objectContaining({ meta: { reason } }),
      );
      expect(JSON.stringify(event.fail.mock.calls)).not.toContain('@');
    },
  );

  it('refuses an address two users share', async () => {
    const { resolve } = resolver();
    const { ctx } = context([
      SOFIA,
      { ...SOFIA, metadata: { name: 'sofia.copy', namespace: 'default' } },
    ]);
    await expect(
      resolve(info('sofia@santamaria.example'), ctx),
    ).rejects.toMatchObject({ message: REFUSALS.noUser });
  });

  it('needs at least one allowed domain, each a bare domain', () => {
    const factory = createAllowedDomainResolverFactory({
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    expect(() => factory({ allowedDomains: [] })).toThrow(
      /must list at least one domain/,
    );
    expect(() => factory({ allowedDomains: ['@x.example'] })).toThrow(
      /bare domain/,
    );
    expect(() => factory(undefined as any)).toThrow(
      /Invalid sign-in resolver options/,
    );
  });
});
