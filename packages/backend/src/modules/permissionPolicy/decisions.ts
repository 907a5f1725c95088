import { createCatalogConditionalDecision } from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { HOSPITAL_TENANT_RESOURCE_TYPE } from '@prontuario/plugin-hospital-tenants-common';
import {
  createHospitalTenantConditionalDecision,
  hospitalTenantConditions,
} from '@prontuario/plugin-hospital-tenants-node';
import { catalogReadCriteria } from './catalogVisibility';

/** The roles below the platform team (which may do everything). */
export type Role = 'finance' | 'hospital';

/** What a decision is taken on. */
export interface DecisionContext {
  permission: Permission;
  /** The caller's ownership refs, lower-cased. */
  claims: string[];
  /** The platform group's ref, lower-cased. */
  platformGroup: string;
  /** Every hospital group's ref, lower-cased; `undefined` when unknown. */
  hospitalGroups: () => Promise<string[] | undefined>;
}

type Decide = (context: DecisionContext) => Promise<PolicyDecision>;

const deny: Decide = async () => ({ result: AuthorizeResult.DENY });
const allow: Decide = async () => ({ result: AuthorizeResult.ALLOW });
const denyBoth = { finance: deny, hospital: deny };

function catalogRead(everyTenant: boolean): Decide {
  return async ({ permission, claims, platformGroup, hospitalGroups }) =>
    isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
      ? createCatalogConditionalDecision(
          permission,
          catalogReadCriteria({
            claims,
            platformGroup,
            everyTenant,
            hospitalGroups: await hospitalGroups(),
          }),
        )
      : { result: AuthorizeResult.DENY };
}

/** Only the tenants the caller's groups own (IS_TENANT_OWNER). */
const ownTenant: Decide = async ({ permission, claims }) =>
  isResourcePermission(permission, HOSPITAL_TENANT_RESOURCE_TYPE)
    ? createHospitalTenantConditionalDecision(
        permission,
        hospitalTenantConditions.isTenantOwner({ claims }),
      )
    : { result: AuthorizeResult.DENY };

/**
 * Every permission the portal's plugins register, with an explicit decision
 * per role. A permission missing here is DENY for everybody but the
 * platform team, and `policy.integration.test.ts` fails until it is added
 * (it reads each plugin's permission metadata).
 *
 * Hospital users: the catalog (filtered by the visibility rule) and their
 * own tenant's status, isolation, cost and SLA. Finance: every tenant in
 * the catalog and every tenant's cost; nothing of the clusters. Neither
 * gets the scaffolder, the Kubernetes plugin, catalog locations or any
 * write. The portal's other plugins (user settings, signals, search's
 * query endpoint, events, the app) register no permission: a signed-in
 * user may use them, and search filters each result by the permission of
 * its document type (the catalog's `catalog.entity.read`).
 */
export const ROLE_DECISIONS: Readonly<
  Record<string, Readonly<Record<Role, Decide>>>
> = {
  // Catalog
  'catalog.entity.read': {
    finance: catalogRead(true),
    hospital: catalogRead(false),
  },
  'catalog.entity.create': denyBoth,
  'catalog.entity.delete': denyBoth,
  'catalog.entity.refresh': denyBoth,
  'catalog.entity.validate': denyBoth,
  // Locations carry file paths and cluster facts, and by-entity would
  // otherwise tell a hidden entity from an unknown one.
  'catalog.location.read': denyBoth,
  'catalog.location.create': denyBoth,
  'catalog.location.analyze': denyBoth,
  'catalog.location.delete': denyBoth,
  'catalog.ingestion.read': denyBoth,
  'catalog.ingestion.manage': denyBoth,

  // Hospital tenants
  'hospital-tenants.tenant.provision': denyBoth,
  'hospital-tenants.tenant.read': { finance: deny, hospital: ownTenant },
  'hospital-tenants.cost.read': { finance: allow, hospital: ownTenant },
  'hospital-tenants.sla.read': { finance: deny, hospital: ownTenant },

  // Scaffolder: provisioning is for the platform team only.
  'scaffolder.action.execute': denyBoth,
  'scaffolder.task.cancel': denyBoth,
  'scaffolder.task.create': denyBoth,
  'scaffolder.task.read': denyBoth,
  'scaffolder.template.dry-run': denyBoth,
  'scaffolder.template.management': denyBoth,
  'scaffolder.template.parameter.read': denyBoth,
  'scaffolder.template.step.read': denyBoth,

  // Kubernetes: it shows the management layer's pods of every tenant.
  'kubernetes.clusters.read': denyBoth,
  'kubernetes.proxy': denyBoth,
  'kubernetes.resources.read': denyBoth,
};

/** The decision of `role` on `context.permission`; unknown: DENY. */
export async function decide(
  role: Role,
  context: DecisionContext,
): Promise<PolicyDecision> {
  const row = Object.prototype.hasOwnProperty.call(
    ROLE_DECISIONS,
    context.permission.name,
  )
    ? ROLE_DECISIONS[context.permission.name]
    : undefined;
  return row ? row[role](context) : { result: AuthorizeResult.DENY };
}
