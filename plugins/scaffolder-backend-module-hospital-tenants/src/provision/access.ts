import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  tenantProvisionPermission,
  TenantSpec,
} from '@prontuario/plugin-hospital-tenants-common';
import { clusterGroupOfOwner } from '@prontuario/plugin-hospital-tenants-node';

/**
 * The checks that need the initiating user's token: the provision
 * permission, and the owner group with its cluster group. Returns only
 * public facts (a checkpoint records them).
 */
export async function checkAccess(
  ctx: { getInitiatorCredentials(): Promise<BackstageCredentials> },
  spec: Pick<TenantSpec, 'ownerGroup'>,
  deps: { permissions: PermissionsService; catalog: CatalogService },
): Promise<{ clusterGroup: string; ownerGroup: string }> {
  const credentials = await ctx.getInitiatorCredentials();
  const [decision] = await deps.permissions.authorize(
    [{ permission: tenantProvisionPermission }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You are not allowed to provision hospital tenants (${tenantProvisionPermission.name})`,
    );
  }
  const ref = stringifyEntityRef(parseEntityRef(spec.ownerGroup));
  const group = await deps.catalog.getEntityByRef(ref, { credentials });
  return { clusterGroup: clusterGroupOfOwner(ref, group), ownerGroup: ref };
}
