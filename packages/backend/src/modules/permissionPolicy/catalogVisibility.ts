import { parseEntityRef } from '@backstage/catalog-model';
import { catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import {
  PermissionCondition,
  PermissionCriteria,
  PermissionRuleParams,
} from '@backstage/plugin-permission-common';
import { createConditionFactory } from '@backstage/plugin-permission-node';
import { HOSPITAL_TENANT_TYPE } from '@prontuario/plugin-hospital-tenants-common';
import { isMemberOf } from '../catalogVisibility/isMemberOf';

type CatalogCriteria = PermissionCriteria<
  PermissionCondition<'catalog-entity', PermissionRuleParams>
>;

const isMemberOfCondition = createConditionFactory(isMemberOf);

/**
 * Kinds a non-platform caller may read at all; everything else (Template,
 * Location, any kind added later) is hidden. Groups and Users are decided
 * separately below.
 */
export const OWNED_KINDS = ['Component', 'API', 'System', 'Domain', 'Resource'];

/** What a non-platform caller is, for the catalog. */
export interface CatalogCaller {
  /** The caller's ownership refs, lower-cased (user ref and groups). */
  claims: string[];
  /** The platform group's ref, lower-cased. */
  platformGroup: string;
  /** Finance reads every tenant entity; a hospital's users only their own. */
  everyTenant: boolean;
  /**
   * Every hospital group's ref, lower-cased; `undefined` when unknown (the
   * catalog could not be read), which shows no staff but the caller.
   */
  hospitalGroups: string[] | undefined;
}

function refCondition(ref: string): CatalogCriteria {
  const { kind, namespace, name } = parseEntityRef(ref);
  return {
    allOf: [
      catalogConditions.isEntityKind({ kinds: [kind] }),
      catalogConditions.hasMetadata({ key: 'namespace', value: namespace }),
      catalogConditions.hasMetadata({ key: 'name', value: name }),
    ],
  };
}

/**
 * The visibility rule of `packages/backend/README.md` as one catalog
 * condition, so the catalog applies it in SQL to every entity read: lists,
 * by-ref, by-query, facets (facets are computed over the visible entities
 * only), relation filters, ancestry and search results.
 *
 * - tenants (`Resource` of type `hospital-tenant`): owned by one of the
 *   caller's groups (finance: every tenant);
 * - Components, APIs, Systems, Domains and other Resources: owned by the
 *   platform group or by one of the caller's own groups;
 * - Groups: the caller's own groups and the platform group;
 * - Users: the caller, and members of the caller's groups or of the
 *   platform group who belong to no other hospital (their entity would name
 *   it);
 * - nothing else (Templates, Locations, other kinds).
 */
export function catalogReadCriteria(caller: CatalogCaller): CatalogCriteria {
  const { claims, platformGroup } = caller;
  const groupClaims = claims.filter(
    ref => parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group',
  );
  const userClaims = claims.filter(
    ref => parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'user',
  );
  const visibleGroups = [...new Set([...groupClaims, platformGroup])];
  const isTenant = catalogConditions.hasSpec({
    key: 'type',
    value: HOSPITAL_TENANT_TYPE,
  });

  const tenants: CatalogCriteria[] = [];
  if (caller.everyTenant) {
    tenants.push({
      allOf: [
        catalogConditions.isEntityKind({ kinds: ['Resource'] }),
        isTenant,
      ],
    });
  } else if (groupClaims.length > 0) {
    tenants.push({
      allOf: [
        catalogConditions.isEntityKind({ kinds: ['Resource'] }),
        isTenant,
        catalogConditions.isEntityOwner({ claims: groupClaims }),
      ],
    });
  }

  const staff: CatalogCriteria[] = [];
  if (caller.hospitalGroups) {
    const otherHospitals = caller.hospitalGroups.filter(
      ref => !groupClaims.includes(ref),
    );
    staff.push({
      allOf: [
        catalogConditions.isEntityKind({ kinds: ['User'] }),
        isMemberOfCondition({ groups: visibleGroups }),
        ...(otherHospitals.length > 0
          ? [{ not: isMemberOfCondition({ groups: otherHospitals }) }]
          : []),
      ],
    });
  }

  const platformWide: CatalogCriteria = {
    allOf: [
      catalogConditions.isEntityKind({ kinds: OWNED_KINDS }),
      { not: isTenant },
      catalogConditions.isEntityOwner({ claims: visibleGroups }),
    ],
  };
  return {
    anyOf: [
      platformWide,
      ...tenants,
      ...visibleGroups.map(refCondition),
      ...userClaims.map(refCondition),
      ...staff,
    ],
  };
}
