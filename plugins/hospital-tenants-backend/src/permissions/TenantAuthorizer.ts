import { hash } from 'node:crypto';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  tenantCostReadPermission,
  tenantReadPermission,
  tenantSlaReadPermission,
} from '@prontuario/plugin-hospital-tenants-common';
import { LRUCache } from 'lru-cache';
import { TenantRecord } from '../tenants/TenantIndex';

/**
 * The facets of a tenant, each guarded by its permission.
 *
 * @public
 */
export type TenantFacet = 'tenant' | 'cost' | 'sla';

const FACET_PERMISSIONS: Record<TenantFacet, ResourcePermission> = {
  tenant: tenantReadPermission as ResourcePermission,
  cost: tenantCostReadPermission as ResourcePermission,
  sla: tenantSlaReadPermission as ResourcePermission,
};
const FACETS = Object.keys(FACET_PERMISSIONS) as TenantFacet[];

/**
 * The caller's decisions on the three tenant permissions, applied in
 * process to any tenant.
 *
 * @public
 */
export interface TenantAccess {
  /** Whether the caller may read this facet of the tenant. */
  allows(facet: TenantFacet, tenant: TenantRecord): boolean;
  /** Whether the tenant exists for the caller: one facet at least is allowed. */
  sees(tenant: TenantRecord): boolean;
}

/**
 * Decides tenant permissions fast: one `authorizeConditional` per caller
 * token (the decision depends only on the token's claims), cached until the
 * token expires in a bounded LRU, then applied in process with
 * `createConditionAuthorizer` over the in-memory tenant index.
 *
 * @public
 */
export class TenantAuthorizer {
  readonly #permissions: PermissionsService;
  readonly #authorize: (
    decision: PolicyDecision,
    resource: TenantRecord | undefined,
  ) => boolean;
  readonly #decisions: LRUCache<
    string,
    { access: TenantAccess; expiresAt: number }
  >;
  readonly #now: () => number;

  constructor(options: {
    permissions: PermissionsService;
    ruleset: PermissionRuleset<TenantRecord>;
    maxCachedTokens?: number;
    now?: () => number;
  }) {
    this.#permissions = options.permissions;
    this.#authorize = createConditionAuthorizer(options.ruleset);
    this.#now = options.now ?? Date.now;
    this.#decisions = new LRUCache({
      max: options.maxCachedTokens ?? 10_000,
      ttlAutopurge: false,
      perf: { now: () => this.#now() },
    });
  }

  /**
   * The caller's access. `token` is the caller's bearer token when the
   * request carried one; without it (or without an expiry) nothing is cached.
   */
  async access(
    credentials: BackstageCredentials,
    token?: string,
  ): Promise<TenantAccess> {
    const expiresAt = credentials.expiresAt?.getTime();
    const ttl = expiresAt ? expiresAt - this.#now() : 0;
    // the token itself is never kept: its SHA-256 is the key
    const key =
      token && ttl > 0 ? hash('sha256', token, 'base64url') : undefined;
    const cached = key ? this.#decisions.get(key) : undefined;
    if (cached && cached.expiresAt > this.#now()) return cached.access;
    const access = this.#accessOf(await this.#decide(credentials));
    if (key) {
      // the access built on the decisions is kept with them, so that a
      // cached caller costs one hash and one lookup per request
      this.#decisions.set(key, { access, expiresAt: expiresAt! }, { ttl });
    }
    return access;
  }

  #accessOf(decisions: PolicyDecision[]): TenantAccess {
    const byFacet = new Map(FACETS.map((f, i) => [f, decisions[i]]));
    // A decision applied to a tenant record always gives the same answer
    // (records are immutable; a refresh of the index makes new ones), so it
    // is worked out once per record and facet instead of on every request
    // (applying a conditional decision validates the rule's parameters).
    const known = new WeakMap<TenantRecord, Map<TenantFacet, boolean>>();
    const allows = (facet: TenantFacet, tenant: TenantRecord) => {
      let answers = known.get(tenant);
      if (!answers) {
        answers = new Map();
        known.set(tenant, answers);
      }
      let answer = answers.get(facet);
      if (answer === undefined) {
        const decision = byFacet.get(facet);
        answer = !!decision && this.#authorize(decision, tenant);
        answers.set(facet, answer);
      }
      return answer;
    };
    return {
      allows,
      sees: tenant => FACETS.some(facet => allows(facet, tenant)),
    };
  }

  async #decide(credentials: BackstageCredentials): Promise<PolicyDecision[]> {
    const decisions = await this.#permissions.authorizeConditional(
      FACETS.map(facet => ({ permission: FACET_PERMISSIONS[facet] })),
      { credentials },
    );
    // only well-formed answers are kept; anything else is a DENY for now
    return decisions.map(d =>
      d.result === AuthorizeResult.ALLOW ||
      d.result === AuthorizeResult.CONDITIONAL
        ? d
        : { result: AuthorizeResult.DENY },
    );
  }
}
