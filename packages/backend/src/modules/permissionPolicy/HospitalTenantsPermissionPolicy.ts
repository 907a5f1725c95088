import {
  RootConfigService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  HOSPITAL_TENANT_RESOURCE_TYPE,
  HOSPITAL_TENANT_TYPE,
  tenantProvisionPermission,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  createHospitalTenantConditionalDecision,
  hospitalTenantConditions,
} from '@prontuario/plugin-hospital-tenants-node';

/** Where the platform team's group ref is configured. */
export const PLATFORM_GROUP_CONFIG_KEY =
  'hospitalTenants.permissions.platformGroup';

/** The platform team of the example org, the default. */
export const DEFAULT_PLATFORM_GROUP = 'group:default/platform-engineering';

/**
 * Plugins whose data hospital users never get: the Kubernetes plugin shows
 * management-layer pods of every tenant, and the scaffolder provisions
 * tenants.
 */
const PLATFORM_ONLY_PERMISSION_PREFIXES = ['kubernetes.', 'scaffolder.'];

/**
 * The portal's permission policy.
 *
 * - Platform engineers (members of the configured platform group) may do
 *   everything.
 * - Everybody else is a hospital's user: they read the catalog except other
 *   hospitals' `hospital-tenant` entities and every Template (a conditional
 *   decision, so the catalog API and the catalog's search results are both
 *   filtered), read their own tenant's status, cost and SLA, get no
 *   Kubernetes plugin data and cannot see or run templates. Anything that
 *   changes state is denied.
 */
export class HospitalTenantsPermissionPolicy implements PermissionPolicy {
  readonly #platformGroup: string;
  readonly #userInfo: UserInfoService;

  static fromConfig(
    config: RootConfigService,
    options: { userInfo: UserInfoService },
  ): HospitalTenantsPermissionPolicy {
    const configured =
      config.getOptionalString(PLATFORM_GROUP_CONFIG_KEY) ??
      DEFAULT_PLATFORM_GROUP;
    let platformGroup: string;
    try {
      platformGroup = stringifyEntityRef(
        parseGroupRef(configured),
      ).toLocaleLowerCase('en-US');
    } catch (error) {
      throw new InputError(
        `Invalid ${PLATFORM_GROUP_CONFIG_KEY} "${configured}": ${
          (error as Error).message
        }`,
      );
    }
    return new HospitalTenantsPermissionPolicy({
      platformGroup,
      userInfo: options.userInfo,
    });
  }

  private constructor(options: {
    platformGroup: string;
    userInfo: UserInfoService;
  }) {
    this.#platformGroup = options.platformGroup;
    this.#userInfo = options.userInfo;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      // Service-to-service calls never reach the policy; anything else
      // without a user is refused.
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs } = await this.#userInfo.getUserInfo(
      user.credentials,
    );
    const claims = ownershipEntityRefs.map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    if (claims.includes(this.#platformGroup)) {
      return { result: AuthorizeResult.ALLOW };
    }
    return this.#hospitalUserDecision(request, claims);
  }

  #hospitalUserDecision(
    { permission }: PolicyQuery,
    claims: string[],
  ): PolicyDecision {
    if (
      PLATFORM_ONLY_PERMISSION_PREFIXES.some(prefix =>
        permission.name.startsWith(prefix),
      ) ||
      permission.name === tenantProvisionPermission.name
    ) {
      return { result: AuthorizeResult.DENY };
    }

    if (permission.attributes.action !== 'read') {
      return { result: AuthorizeResult.DENY };
    }

    if (isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      return createCatalogConditionalDecision(permission, {
        allOf: [
          { not: catalogConditions.isEntityKind({ kinds: ['Template'] }) },
          {
            anyOf: [
              {
                not: catalogConditions.hasSpec({
                  key: 'type',
                  value: HOSPITAL_TENANT_TYPE,
                }),
              },
              catalogConditions.isEntityOwner({ claims }),
            ],
          },
        ],
      });
    }

    if (isResourcePermission(permission, HOSPITAL_TENANT_RESOURCE_TYPE)) {
      return createHospitalTenantConditionalDecision(
        permission,
        hospitalTenantConditions.isTenantOwner({ claims }),
      );
    }

    return { result: AuthorizeResult.ALLOW };
  }
}

function parseGroupRef(ref: string) {
  const parsed = parseEntityRef(ref, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new Error('expected a group entity ref like group:default/platform');
  }
  return parsed;
}
