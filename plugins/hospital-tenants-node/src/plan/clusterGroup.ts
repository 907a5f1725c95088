import { InputError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';
import { CLUSTER_GROUP_ANNOTATION } from '@prontuario/plugin-hospital-tenants-common';
import {
  InvalidTenantSpecError,
  tenantSpecIssue,
} from './InvalidTenantSpecError';

/**
 * The owner group of a tenant as the catalog (or an org file) has it.
 *
 * @public
 */
export interface OwnerGroupEntity {
  kind: string;
  metadata: { annotations?: Record<string, string> };
}

/**
 * The cluster group of a tenant: the owner group's
 * `hospital-tenants.io/cluster-group` annotation (the group name the tenant
 * API server authenticates through OIDC). Throws an InputError on
 * `ownerGroup` when the group is missing, not a Group, or has no usable
 * annotation.
 *
 * @public
 */
export function clusterGroupOfOwner(
  ref: string,
  group: OwnerGroupEntity | undefined,
): string {
  if (!group || group.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InvalidTenantSpecError([
      tenantSpecIssue('ownerGroup', `${ref} does not exist in the catalog`),
    ]);
  }
  const clusterGroup = group.metadata.annotations?.[CLUSTER_GROUP_ANNOTATION];
  if (!clusterGroup || clusterGroup.startsWith('system:')) {
    throw new InvalidTenantSpecError([
      tenantSpecIssue(
        'ownerGroup',
        `${ref} has no ${CLUSTER_GROUP_ANNOTATION} annotation naming the group its tenant API server authenticates`,
      ),
    ]);
  }
  return clusterGroup;
}

/**
 * The group name the tenant API server sees for a tenant's cluster group:
 * the environment's OIDC `groupsPrefix` (none when the environment has no
 * OIDC issuer) followed by the cluster group. The tenant layer's RoleBindings
 * bind this name, and the isolation checks expect exactly it.
 *
 * @public
 */
export function tenantClusterGroupName(
  clusterGroup: string,
  environment: { oidc?: { groupsPrefix: string } } | undefined,
): string {
  return `${environment?.oidc?.groupsPrefix ?? ''}${clusterGroup}`;
}

/**
 * The Group entities of a catalog YAML file (an org file such as
 * `examples/org.yaml`), by lower-cased entity ref.
 *
 * @public
 */
export function groupsFromCatalogYaml(
  text: string,
): Map<string, OwnerGroupEntity> {
  const groups = new Map<string, OwnerGroupEntity>();
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new InputError(document.errors[0].message);
    }
    const entity = document.toJS() as {
      kind?: unknown;
      metadata?: {
        name?: unknown;
        namespace?: unknown;
        annotations?: Record<string, string>;
      };
    } | null;
    if (
      typeof entity?.kind !== 'string' ||
      entity.kind.toLocaleLowerCase('en-US') !== 'group' ||
      typeof entity.metadata?.name !== 'string'
    ) {
      continue;
    }
    const namespace =
      typeof entity.metadata.namespace === 'string'
        ? entity.metadata.namespace
        : 'default';
    groups.set(
      `group:${namespace}/${entity.metadata.name}`.toLocaleLowerCase('en-US'),
      {
        kind: entity.kind,
        metadata: { annotations: entity.metadata.annotations },
      },
    );
  }
  return groups;
}
