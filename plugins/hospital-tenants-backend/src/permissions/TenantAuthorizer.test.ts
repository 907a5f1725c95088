import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createHospitalTenantConditionalDecision,
  hospitalTenantConditions,
  isTenantOwner,
} from '@prontuario/plugin-hospital-tenants-node';
import { tenantReadPermission } from '@prontuario/plugin-hospital-tenants-common';
import { TenantAuthorizer } from './TenantAuthorizer';

const santaMaria = {
  tenantId: 'hospital-santa-maria',
  entityRef: 'resource:default/hospital-santa-maria',
  owner: 'group:default/hospital-santa-maria',
};
const saoJoao = {
  tenantId: 'hospital-sao-joao',
  entityRef: 'resource:default/hospital-sao-joao',
  owner: 'group:default/hospital-sao-joao',
};

function setup() {
  let now = 1_000_000;
  const permissions = mockServices.permissions.mock();
  permissions.authorizeConditional.mockImplementation(
    async requests =>
      requests.map(() =>
        createHospitalTenantConditionalDecision(
          tenantReadPermission as any,
          hospitalTenantConditions.isTenantOwner({
            claims: ['group:default/hospital-santa-maria'],
          }),
        ),
      ) as any,
  );
  const authorizer = new TenantAuthorizer({
    permissions,
    ruleset: {
      getRuleByName(name: string) {
        if (name !== isTenantOwner.name) throw new Error(`no rule ${name}`);
        return isTenantOwner as any;
      },
    },
    now: () => now,
  });
  return {
    permissions,
    authorizer,
    advance: (ms: number) => (now += ms),
    at: () => now,
  };
}

describe('TenantAuthorizer', () => {
  it('applies a conditional decision in process', async () => {
    const { authorizer } = setup();
    const access = await authorizer.access(
      mockCredentials.user('user:default/sofia'),
    );
    expect(access.sees(santaMaria)).toBe(true);
    expect(access.allows('tenant', santaMaria)).toBe(true);
    expect(access.sees(saoJoao)).toBe(false);
  });

  it('asks once per token until the token expires', async () => {
    const { authorizer, permissions, advance, at } = setup();
    const credentials = {
      ...mockCredentials.user('user:default/sofia'),
      expiresAt: new Date(at() + 60_000),
    };
    await authorizer.access(credentials, 'token-a');
    await authorizer.access(credentials, 'token-a');
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    await authorizer.access(credentials, 'token-b');
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
    advance(61_000);
    await authorizer.access(
      { ...credentials, expiresAt: new Date(at() + 60_000) },
      'token-a',
    );
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(3);
  });

  it('caches nothing without a token or an expiry, and treats odd answers as DENY', async () => {
    const { authorizer, permissions } = setup();
    await authorizer.access(
      mockCredentials.user('user:default/sofia'),
      'token',
    );
    await authorizer.access(
      mockCredentials.user('user:default/sofia'),
      'token',
    );
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
    permissions.authorizeConditional.mockResolvedValueOnce([
      { result: 'MAYBE' },
      { result: AuthorizeResult.DENY },
      { result: AuthorizeResult.DENY },
    ] as any);
    const access = await authorizer.access(
      mockCredentials.user('user:default/x'),
    );
    expect(access.sees(santaMaria)).toBe(false);
  });

  it('applies a decision once per tenant record and facet, and anew to the records of a refreshed index', async () => {
    const { authorizer } = setup();
    const apply = jest.spyOn(isTenantOwner, 'apply');
    try {
      const credentials = {
        ...mockCredentials.user('user:default/sofia'),
        expiresAt: new Date(Date.now() + 60_000),
      };
      const access = await authorizer.access(credentials, 'token-a');
      expect(access.allows('tenant', santaMaria)).toBe(true);
      expect(access.sees(santaMaria)).toBe(true);
      expect(access.allows('tenant', santaMaria)).toBe(true);
      expect(apply).toHaveBeenCalledTimes(1);
      // the same token's cached access remembers it too
      const again = await authorizer.access(credentials, 'token-a');
      expect(again.allows('tenant', santaMaria)).toBe(true);
      expect(apply).toHaveBeenCalledTimes(1);
      expect(again.allows('cost', santaMaria)).toBe(true);
      expect(apply).toHaveBeenCalledTimes(2);
      // a refreshed index: the tenant now belongs to another group
      const handedOver = { ...santaMaria, owner: 'group:default/other' };
      expect(again.allows('tenant', handedOver)).toBe(false);
      expect(again.sees(handedOver)).toBe(false);
      expect(again.sees(saoJoao)).toBe(false);
    } finally {
      apply.mockRestore();
    }
  });
});
