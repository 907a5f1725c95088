import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
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
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
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
import { isMemberOf } from '../catalogVisibility/isMemberOf';
import { HospitalTenantsPermissionPolicy } from './HospitalTenantsPermissionPolicy';

const HOSPITAL_GROUPS = [
  'group:default/hospital-santa-maria',
  'group:default/hospital-sao-joao',
];

function policyFor(
  config: object = {},
  hospitalGroups: string[] | undefined = HOSPITAL_GROUPS,
) {
  return HospitalTenantsPermissionPolicy.fromConfig(
    mockServices.rootConfig({ data: config }),
    { hospitalGroups: async () => hospitalGroups },
  );
}

/** A caller as the permission backend passes it: claims come with it. */
function caller(ownershipEntityRefs: string[]) {
  const userEntityRef = ownershipEntityRefs[0] ?? 'user:default/someone';
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs },
  };
}

const platform = caller([
  'user:default/ana.platform',
  'group:default/platform-engineering',
]);
const santaMaria = caller([
  'user:default/sofia.santamaria',
  'group:default/hospital-santa-maria',
]);
const twoHospitals = caller([
  'user:default/dupla',
  'group:default/hospital-santa-maria',
  'group:default/hospital-sao-joao',
]);
const noGroup = caller(['user:default/nobody']);
const finance = caller([
  'user:default/fatima.finance',
  'group:default/finance',
]);

const rel = (type: string, targetRef: string) => ({ type, targetRef });

function tenant(slug: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: slug, namespace: 'default' },
    spec: { type: 'hospital-tenant', owner },
    relations: [rel('ownedBy', owner)],
  };
}
function group(name: string, type: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type, children: [] },
    relations: [],
  };
}
function person(name: string, groups: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: groups },
    relations: groups.map(g => rel('memberOf', g)),
  };
}
function owned(kind: string, name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: { owner, type: 'service' },
    relations: [rel('ownedBy', owner)],
  };
}

const SM = 'group:default/hospital-santa-maria';
const SJ = 'group:default/hospital-sao-joao';
const PLATFORM = 'group:default/platform-engineering';

/** Every entity of the example catalog's shape, by a short name. */
const ENTITIES: Record<string, Entity> = {
  smTenant: tenant('hospital-santa-maria', SM),
  sjTenant: tenant('hospital-sao-joao', SJ),
  smGroup: group('hospital-santa-maria', 'hospital'),
  sjGroup: group('hospital-sao-joao', 'hospital'),
  platformGroup: group('platform-engineering', 'team'),
  financeGroup: group('finance', 'team'),
  sofia: person('sofia.santamaria', [SM]),
  joao: person('joao.saojoao', [SJ]),
  ana: person('ana.platform', [PLATFORM]),
  duarte: person('duarte.duplo', [SM, SJ]),
  platformAndSj: person('pedro.platform-sj', [PLATFORM, SJ]),
  fatima: person('fatima.finance', ['group:default/finance']),
  system: owned('System', 'prontuario-medico', PLATFORM),
  component: owned('Component', 'prontuario-portal', PLATFORM),
  sjComponent: owned('Component', 'sao-joao-app', SJ),
  template: owned('Template', 'new-hospital-tenant', PLATFORM),
  location: owned('Location', 'generated-1', PLATFORM),
};

const authorizeEntity = createConditionAuthorizer([
  ...Object.values(permissionRules),
  isMemberOf,
] as any);

async function visibleTo(
  who: ReturnType<typeof caller>,
  options: { hospitalGroupsUnknown?: boolean } = {},
) {
  const decision = await HospitalTenantsPermissionPolicy.fromConfig(
    mockServices.rootConfig({ data: {} }),
    {
      hospitalGroups: async () =>
        options.hospitalGroupsUnknown ? undefined : HOSPITAL_GROUPS,
    },
  ).handle({ permission: catalogEntityReadPermission }, who);
  return Object.entries(ENTITIES)
    .filter(([, entity]) => authorizeEntity(decision as any, entity))
    .map(([name]) => name)
    .sort();
}

describe('HospitalTenantsPermissionPolicy', () => {
  it('allows platform engineers everything, including permissions it does not know', async () => {
    const unknown = createPermission({
      name: 'some-plugin.thing.read',
      attributes: { action: 'read' },
    });
    for (const permission of [
      tenantProvisionPermission,
      tenantCostReadPermission,
      catalogEntityDeletePermission,
      kubernetesProxyPermission,
      taskCreatePermission,
      unknown,
    ]) {
      await expect(
        policyFor().handle({ permission }, platform),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('takes the caller from the request, without a user-info call', async () => {
    // The platform claim is only in user.info, not in the credentials.
    const decision = await policyFor().handle(
      { permission: tenantProvisionPermission },
      {
        credentials: mockCredentials.user('user:default/ana.platform'),
        info: {
          userEntityRef: 'user:default/ana.platform',
          ownershipEntityRefs: ['GROUP:default/Platform-Engineering'],
        },
      },
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('takes both groups from config, case-insensitively', async () => {
    const config = {
      hospitalTenants: {
        permissions: { platformGroup: 'group:ops/SRE', financeGroup: 'FinOps' },
      },
    };
    await expect(
      policyFor(config).handle(
        { permission: tenantProvisionPermission },
        caller(['user:default/x', 'group:ops/sre']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    // The example platform group is no longer special.
    await expect(
      policyFor(config).handle(
        { permission: tenantProvisionPermission },
        platform,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policyFor(config).handle(
        { permission: tenantCostReadPermission },
        caller(['user:default/y', 'group:default/finops']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('rejects group settings that are not group refs or are the same group', () => {
    expect(() =>
      policyFor({
        hospitalTenants: { permissions: { platformGroup: 'user:default/x' } },
      }),
    ).toThrow(/hospitalTenants\.permissions\.platformGroup/);
    expect(() =>
      policyFor({
        hospitalTenants: { permissions: { financeGroup: 'user:default/x' } },
      }),
    ).toThrow(/hospitalTenants\.permissions\.financeGroup/);
    expect(() =>
      policyFor({
        hospitalTenants: {
          permissions: { financeGroup: 'group:default/platform-engineering' },
        },
      }),
    ).toThrow(/must not be the platform group/);
  });

  it('is fail-closed: a permission it does not name is DENY, read or not', async () => {
    const unknownRead = createPermission({
      name: 'cost-insights.executive-overview.read',
      attributes: { action: 'read' },
    });
    const unknownResourceRead = createPermission({
      name: 'other.thing.read',
      attributes: { action: 'read' },
      resourceType: 'other-thing',
    });
    for (const who of [santaMaria, finance, noGroup]) {
      for (const permission of [unknownRead, unknownResourceRead]) {
        await expect(policyFor().handle({ permission }, who)).resolves.toEqual({
          result: AuthorizeResult.DENY,
        });
      }
    }
  });

  it('denies hospital users and finance Kubernetes, the scaffolder, locations and writes', async () => {
    for (const who of [santaMaria, finance]) {
      for (const permission of [
        kubernetesProxyPermission,
        kubernetesResourcesReadPermission,
        kubernetesClustersReadPermission,
        templateParameterReadPermission,
        actionExecutePermission,
        taskCreatePermission,
        taskReadPermission,
        tenantProvisionPermission,
        catalogEntityCreatePermission,
        catalogEntityDeletePermission,
        catalogLocationReadPermission,
      ]) {
        await expect(policyFor().handle({ permission }, who)).resolves.toEqual({
          result: AuthorizeResult.DENY,
        });
      }
    }
  });

  it("lets hospital users read only their own tenant's status, cost and SLA", async () => {
    for (const permission of [
      tenantReadPermission,
      tenantCostReadPermission,
      tenantSlaReadPermission,
    ]) {
      const decision: PolicyDecision = await policyFor().handle(
        { permission },
        santaMaria,
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'hospital-tenants',
        resourceType: 'hospital-tenant',
        conditions: {
          rule: 'IS_TENANT_OWNER',
          resourceType: 'hospital-tenant',
          params: { claims: santaMaria.info.ownershipEntityRefs },
        },
      });
    }
  });

  it("lets finance read every tenant's cost, but not status, isolation or SLA", async () => {
    const handle = (permission: typeof tenantReadPermission) =>
      policyFor().handle({ permission }, finance);
    await expect(handle(tenantCostReadPermission)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(handle(tenantReadPermission)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(handle(tenantSlaReadPermission)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  describe('the catalog visibility rule', () => {
    it('shows a hospital user its own tenant, group and members, and platform-wide entities', async () => {
      expect(await visibleTo(santaMaria)).toEqual(
        [
          'smTenant',
          'smGroup',
          'sofia',
          'platformGroup',
          'ana',
          'system',
          'component',
        ].sort(),
      );
    });

    it('hides a colleague who also belongs to another hospital (their entity names it)', async () => {
      const visible = await visibleTo(santaMaria);
      expect(visible).not.toContain('duarte');
      expect(visible).not.toContain('platformAndSj');
    });

    it('shows no staff but the caller while the hospital groups are unknown', async () => {
      expect(
        await visibleTo(santaMaria, { hospitalGroupsUnknown: true }),
      ).toEqual(
        [
          'smTenant',
          'smGroup',
          'sofia',
          'platformGroup',
          'system',
          'component',
        ].sort(),
      );
    });

    it('shows a user in two hospitals both', async () => {
      expect(await visibleTo(twoHospitals)).toEqual(
        [
          'smTenant',
          'sjTenant',
          'smGroup',
          'sjGroup',
          'sofia',
          'joao',
          'duarte',
          'platformAndSj',
          'sjComponent',
          'platformGroup',
          'ana',
          'system',
          'component',
        ].sort(),
      );
    });

    it('shows a user in no group only platform-wide entities', async () => {
      expect(await visibleTo(noGroup)).toEqual(
        ['platformGroup', 'ana', 'system', 'component'].sort(),
      );
    });

    it('shows finance every tenant but no hospital group or staff', async () => {
      expect(await visibleTo(finance)).toEqual(
        [
          'smTenant',
          'sjTenant',
          'financeGroup',
          'fatima',
          'platformGroup',
          'ana',
          'system',
          'component',
        ].sort(),
      );
    });
  });

  it('denies requests without a user', async () => {
    await expect(
      policyFor().handle({ permission: catalogEntityReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
