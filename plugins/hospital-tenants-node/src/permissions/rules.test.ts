import {
  createHospitalTenantConditionalDecision,
  hospitalTenantConditions,
  isTenantOwner,
} from './rules';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { tenantCostReadPermission } from '@prontuario/plugin-hospital-tenants-common';

const santaMaria = {
  entityRef: 'resource:default/hospital-santa-maria',
  tenantId: 'hospital-santa-maria',
  owner: 'group:default/hospital-santa-maria',
};

describe('isTenantOwner', () => {
  it('admits a tenant owned by one of the claims, whatever their case', () => {
    expect(
      isTenantOwner.apply(santaMaria, {
        claims: ['user:default/sofia', 'group:default/Hospital-Santa-Maria'],
      }),
    ).toBe(true);
  });

  it("refuses another hospital's tenant", () => {
    expect(
      isTenantOwner.apply(santaMaria, {
        claims: ['user:default/joao', 'group:default/hospital-sao-joao'],
      }),
    ).toBe(false);
    expect(isTenantOwner.apply(santaMaria, { claims: [] })).toBe(false);
  });

  it('turns the claims into a query on the owner', () => {
    expect(
      isTenantOwner.toQuery({ claims: ['group:default/Hospital-Sao-Joao'] }),
    ).toEqual({
      property: 'owner',
      values: ['group:default/hospital-sao-joao'],
    });
  });

  it('rejects malformed parameters', async () => {
    const schema = isTenantOwner.paramsSchema!['~standard'];
    expect(
      (await schema.validate({ claims: 'group:default/x' })).issues,
    ).toHaveLength(1);
    expect(
      (await schema.validate({ claims: ['group:default/x'] })).issues,
    ).toBeUndefined();
  });

  it('builds a conditional decision for the hospital-tenants plugin', () => {
    expect(
      createHospitalTenantConditionalDecision(
        tenantCostReadPermission,
        hospitalTenantConditions.isTenantOwner({
          claims: ['group:default/hospital-sao-joao'],
        }),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'hospital-tenants',
      resourceType: 'hospital-tenant',
      conditions: {
        rule: 'IS_TENANT_OWNER',
        resourceType: 'hospital-tenant',
        params: { claims: ['group:default/hospital-sao-joao'] },
      },
    });
  });
});
