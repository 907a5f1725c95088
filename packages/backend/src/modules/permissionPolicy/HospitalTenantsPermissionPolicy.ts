import { RootConfigService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { decide, Role } from './decisions';

/** Where the platform team's group ref is configured. */
export const PLATFORM_GROUP_CONFIG_KEY =
  'hospitalTenants.permissions.platformGroup';

/** Where the finance group's ref is configured. */
export const FINANCE_GROUP_CONFIG_KEY =
  'hospitalTenants.permissions.financeGroup';

/** The platform team of the example org, the default. */
export const DEFAULT_PLATFORM_GROUP = 'group:default/platform-engineering';

/** The finance team of the example org, the default. */
export const DEFAULT_FINANCE_GROUP = 'group:default/finance';

/**
 * The portal's permission policy: three roles and a fail-closed default.
 *
 * - Platform engineers (members of `hospitalTenants.permissions.platformGroup`)
 *   may do everything.
 * - Finance (members of `hospitalTenants.permissions.financeGroup`) read
 *   every tenant in the catalog and every tenant's cost; nothing of the
 *   clusters, no scaffolder.
 * - Everybody else is a hospital's user: an explicit allow-list (the catalog
 *   filtered by the visibility rule, their own tenant's status, isolation,
 *   cost and SLA).
 *
 * Every decision is in `ROLE_DECISIONS` (`decisions.ts`); a permission not
 * named there is DENY. The caller's ownership refs come with the request
 * (`user.info`), so a decision costs no extra call.
 */
export class HospitalTenantsPermissionPolicy implements PermissionPolicy {
  readonly #platformGroup: string;
  readonly #financeGroup: string;
  readonly #hospitalGroups: () => Promise<string[] | undefined>;

  /**
   * @param options.hospitalGroups - every hospital group's ref (see
   *   `HospitalGroupDirectory`); `undefined` when unknown.
   */
  static fromConfig(
    config: RootConfigService,
    options: { hospitalGroups: () => Promise<string[] | undefined> },
  ): HospitalTenantsPermissionPolicy {
    return new HospitalTenantsPermissionPolicy({
      hospitalGroups: options.hospitalGroups,
      platformGroup: readGroupRef(
        config,
        PLATFORM_GROUP_CONFIG_KEY,
        DEFAULT_PLATFORM_GROUP,
      ),
      financeGroup: readGroupRef(
        config,
        FINANCE_GROUP_CONFIG_KEY,
        DEFAULT_FINANCE_GROUP,
      ),
    });
  }

  private constructor(options: {
    platformGroup: string;
    financeGroup: string;
    hospitalGroups: () => Promise<string[] | undefined>;
  }) {
    if (options.platformGroup === options.financeGroup) {
      throw new InputError(
        `${FINANCE_GROUP_CONFIG_KEY} must not be the platform group`,
      );
    }
    this.#platformGroup = options.platformGroup;
    this.#financeGroup = options.financeGroup;
    this.#hospitalGroups = options.hospitalGroups;
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
    const claims = (user.info.ownershipEntityRefs ?? []).map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    if (claims.includes(this.#platformGroup)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const role: Role = claims.includes(this.#financeGroup)
      ? 'finance'
      : 'hospital';
    return decide(role, {
      permission: request.permission,
      claims,
      platformGroup: this.#platformGroup,
      hospitalGroups: this.#hospitalGroups,
    });
  }
}

function readGroupRef(
  config: RootConfigService,
  key: string,
  fallback: string,
): string {
  const configured = config.getOptionalString(key) ?? fallback;
  try {
    const parsed = parseEntityRef(configured, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new Error(
        'expected a group entity ref like group:default/platform',
      );
    }
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(
      `Invalid ${key} "${configured}": ${(error as Error).message}`,
    );
  }
}
