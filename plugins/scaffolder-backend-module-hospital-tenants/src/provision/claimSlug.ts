import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import {
  managementNamespaceName,
  TENANT_LABEL,
  tenantEntityRef,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  InvalidTenantSpecError,
  KubernetesClusterClient,
  KubernetesObject,
  TenantPlan,
  tenantSpecIssue,
} from '@prontuario/plugin-hospital-tenants-node';
import { RecordedObject } from './apply';
import { CREATED_BY_TASK_ANNOTATION } from './plan';

const TCP = ['kamaji.clastix.io/v1alpha1', 'TenantControlPlane'] as const;

function slugTaken(slug: string, what: string): InvalidTenantSpecError {
  return new InvalidTenantSpecError([
    tenantSpecIssue(
      'slug',
      `"${slug}" is already used by ${what}; a new tenant needs a new slug (changing a live tenant is not done with this template)`,
    ),
  ]);
}

const createdBy = (o: {
  metadata?: { annotations?: Record<string, string> };
}) => o.metadata?.annotations?.[CREATED_BY_TASK_ANNOTATION];

/**
 * The pre-check of a new tenant: refuses a slug already used by a tenant
 * namespace, a TenantControlPlane or a catalog entity, unless those objects
 * were created by this same task (a task resumed after a crash, or retried,
 * finds its own objects). Reads only; the error is on the slug.
 *
 * Two runs can pass this check together; {@link claimSlug} decides between
 * them.
 */
export async function checkSlugIsNew(
  management: KubernetesClusterClient,
  slug: string,
  deps: {
    taskId: string;
    catalog: CatalogService;
    auth: AuthService;
    signal?: AbortSignal;
  },
): Promise<void> {
  const namespace = managementNamespaceName(slug);
  const signal = deps.signal;
  const [ns, labelled, named] = await Promise.all([
    management.find('v1', 'Namespace', namespace, undefined, { signal }),
    management.list(TCP[0], TCP[1], {
      labelSelector: `${TENANT_LABEL}=${slug}`,
      signal,
    }),
    management.list(TCP[0], TCP[1], {
      fieldSelector: `metadata.name=${slug}`,
      signal,
    }),
  ]);
  const ours = ns !== undefined && createdBy(ns) === deps.taskId;
  if (ns && !ours) {
    throw slugTaken(slug, `the namespace ${namespace}`);
  }
  for (const tcp of [...labelled, ...named]) {
    if (createdBy(tcp) !== deps.taskId) {
      throw slugTaken(
        slug,
        `the TenantControlPlane ${tcp.metadata.namespace}/${tcp.metadata.name}`,
      );
    }
  }
  if (!ours) {
    const entity = await deps.catalog.getEntityByRef(tenantEntityRef(slug), {
      credentials: await deps.auth.getOwnServiceCredentials(),
    });
    if (entity) {
      throw slugTaken(slug, `the catalog entity ${tenantEntityRef(slug)}`);
    }
  }
}

/**
 * The create-only claim of a new tenant's slug: creates the management
 * namespace `tenant-<slug>` with a POST (never server-side apply), stamped
 * `hospital-tenants.io/created-by-task: <task id>`. Of two runs for one new
 * slug exactly one gets it; the other is answered 409 AlreadyExists, has
 * written nothing, and is refused with the error on the slug. A task that
 * finds the namespace stamped with its own id (it crashed after the claim)
 * keeps its claim.
 *
 * Recorded in a checkpoint; returns the record that makes a failed run's
 * cleanup delete the namespace.
 */
export async function claimSlug(
  ctx: Pick<ActionContext<JsonObject>, 'checkpoint'>,
  management: KubernetesClusterClient,
  plan: Pick<TenantPlan, 'management'>,
  options: {
    key: string;
    slug: string;
    taskId: string;
    fieldManager: string;
    signal?: AbortSignal;
  },
): Promise<RecordedObject> {
  const namespace = plan.management.find(o => o.kind === 'Namespace');
  if (!namespace) {
    throw new Error('The plan has no management namespace to claim');
  }
  const claim: KubernetesObject = {
    ...namespace,
    metadata: {
      ...namespace.metadata,
      annotations: {
        ...namespace.metadata.annotations,
        [CREATED_BY_TASK_ANNOTATION]: options.taskId,
      },
    },
  };
  await ctx.checkpoint({
    key: options.key,
    fn: async () => {
      const result = await management.create(claim, {
        fieldManager: options.fieldManager,
        signal: options.signal,
      });
      if (result.created) return { claimed: true };
      const live = await management.find(
        'v1',
        'Namespace',
        namespace.metadata.name,
        undefined,
        { signal: options.signal },
      );
      if (live && createdBy(live) === options.taskId) return { claimed: true };
      throw new InvalidTenantSpecError([
        tenantSpecIssue(
          'slug',
          `"${options.slug}" was just taken by another provisioning run; choose another slug`,
        ),
      ]);
    },
  });
  return { target: 'management-cluster', object: claim, created: true };
}
