import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  actionExecutePermission,
  taskCreatePermission,
  taskReadPermission,
  templateParameterReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  tenantCostReadPermission,
  tenantProvisionPermission,
  tenantReadPermission,
  tenantSlaReadPermission,
} from '@prontuario/plugin-hospital-tenants-common';
import { HospitalTenantsPermissionPolicy } from './HospitalTenantsPermissionPolicy';

function policyFor(ownershipEntityRefs: string[], config: object = {}) {
  return HospitalTenantsPermissionPolicy.fromConfig(
    mockServices.rootConfig({ data: config }),
    { userInfo: mockServices.userInfo({ ownershipEntityRefs }) },
  );
}

const user = {
  credentials: mockCredentials.user('user:default/someone'),
  info: { userEntityRef: 'user:default/someone', ownershipEntityRefs: [] },
};

const santaMariaClaims = [
  'user:default/sofia.santamaria',
  'group:default/hospital-santa-maria',
];

describe('HospitalTenantsPermissionPolicy', () => {
  it('allows platform engineers everything, including provisioning', async () => {
    const policy = policyFor([
      'user:default/ana.platform',
      'group:default/platform-engineering',
    ]);
    for (const permission of [
      tenantProvisionPermission,
      tenantCostReadPermission,
      catalogEntityDeletePermission,
      kubernetesProxyPermission,
      taskCreatePermission,
    ]) {
      await expect(policy.handle({ permission }, user)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('takes the platform group from config, case-insensitively', async () => {
    const config = {
      hospitalTenants: { permissions: { platformGroup: 'group:ops/SRE' } },
    };
    await expect(
      policyFor(['group:ops/sre'], config).handle(
        { permission: tenantProvisionPermission },
        user,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    // The example platform group is no longer special.
    await expect(
      policyFor(['group:default/platform-engineering'], config).handle(
        { permission: tenantProvisionPermission },
        user,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('rejects a platform group that is not a group ref', () => {
    expect(() =>
      policyFor([], {
        hospitalTenants: { permissions: { platformGroup: 'user:default/x' } },
      }),
    ).toThrow(/hospitalTenants\.permissions\.platformGroup/);
  });

  it('denies hospital users Kubernetes data, templates and provisioning', async () => {
    const policy = policyFor(santaMariaClaims);
    for (const permission of [
      kubernetesProxyPermission,
      kubernetesResourcesReadPermission,
      kubernetesClustersReadPermission,
      templateParameterReadPermission,
      actionExecutePermission,
      taskCreatePermission,
      taskReadPermission,
      tenantProvisionPermission,
    ]) {
      await expect(policy.handle({ permission }, user)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('denies hospital users anything that changes state', async () => {
    const policy = policyFor(santaMariaClaims);
    const somethingElse = createPermission({
      name: 'other.thing.update',
      attributes: { action: 'update' },
    });
    for (const permission of [
      catalogEntityCreatePermission,
      catalogEntityDeletePermission,
      somethingElse,
    ]) {
      await expect(policy.handle({ permission }, user)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('lets hospital users read the catalog except other tenants and templates', async () => {
    const decision = await policyFor(santaMariaClaims).handle(
      { permission: catalogEntityReadPermission },
      user,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        allOf: [
          {
            not: {
              rule: 'IS_ENTITY_KIND',
              resourceType: 'catalog-entity',
              params: { kinds: ['Template'] },
            },
          },
          {
            anyOf: [
              {
                not: {
                  rule: 'HAS_SPEC',
                  resourceType: 'catalog-entity',
                  params: { key: 'type', value: 'hospital-tenant' },
                },
              },
              {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: santaMariaClaims },
              },
            ],
          },
        ],
      },
    });
    await expect(
      policyFor(santaMariaClaims).handle(
        { permission: catalogLocationReadPermission },
        user,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it("lets hospital users read only their own tenant's status, cost and SLA", async () => {
    for (const permission of [
      tenantReadPermission,
      tenantCostReadPermission,
      tenantSlaReadPermission,
    ]) {
      await expect(
        policyFor(santaMariaClaims).handle({ permission }, user),
      ).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'hospital-tenants',
        resourceType: 'hospital-tenant',
        conditions: {
          rule: 'IS_TENANT_OWNER',
          resourceType: 'hospital-tenant',
          params: { claims: santaMariaClaims },
        },
      });
    }
  });

  it('denies requests without a user', async () => {
    await expect(
      policyFor(santaMariaClaims).handle({
        permission: catalogEntityReadPermission,
      }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
