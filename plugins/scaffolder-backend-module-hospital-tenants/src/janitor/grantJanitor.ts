import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { TENANT_LABEL } from '@prontuario/plugin-hospital-tenants-common';
import {
  ClusterObject,
  KubernetesClusterClient,
  PROVISIONER_KUBECONFIG_ACCESS,
} from '@prontuario/plugin-hospital-tenants-node';

/** What one sweep found and did. @public */
export interface GrantSweepResult {
  /** `<namespace>/<Kind>` of every grant object removed */
  revoked: string[];
  /** grants younger than the max age, left to their run */
  inProgress: string[];
}

/** Options of {@link sweepStaleGrants}. @public */
export interface GrantJanitorOptions {
  /** the management cluster as the provisioner identity */
  management: KubernetesClusterClient;
  /** a grant last written longer ago than this is removed */
  maxAgeMs: number;
  logger: LoggerService;
  auditor: AuditorService;
  now?: () => number;
  signal?: AbortSignal;
}

const RBAC = 'rbac.authorization.k8s.io/v1';

/**
 * When a grant object was last written: the newest of its creation and its
 * managed fields' times (a run re-applies the grant it holds).
 */
function lastWritten(o: ClusterObject): number {
  const times = [
    o.metadata.creationTimestamp,
    ...((o.metadata.managedFields ?? []) as Array<{ time?: string }>).map(
      f => f.time,
    ),
  ]
    .filter((t): t is string => typeof t === 'string')
    .map(t => Date.parse(t))
    .filter(t => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : 0;
}

/**
 * One sweep of the grant janitor: in every tenant namespace (label
 * `hospital-tenants.io/tenant`), the run-scoped kubeconfig grant (the Role
 * and RoleBinding `hospital-tenants-provisioner-kubeconfig`) last written
 * longer ago than `maxAgeMs` belongs to a run that crashed, was cancelled or
 * was abandoned: it is removed (the RoleBinding first), logged and reported
 * as the audit event `tenant-grant-revoked`. Reads each grant by name, so
 * the provisioner needs no `list` on RBAC objects. A tenant whose sweep
 * fails is reported and the sweep goes on with the next.
 *
 * @public
 */
export async function sweepStaleGrants(
  options: GrantJanitorOptions,
): Promise<GrantSweepResult> {
  const { management, logger, auditor, signal } = options;
  const now = (options.now ?? Date.now)();
  const result: GrantSweepResult = { revoked: [], inProgress: [] };
  const namespaces = await management.list('v1', 'Namespace', {
    labelSelector: TENANT_LABEL,
    signal,
  });
  for (const ns of namespaces) {
    const namespace = ns.metadata.name;
    const tenantId = ns.metadata.labels?.[TENANT_LABEL];
    if (!namespace.startsWith('tenant-') || !tenantId) continue;
    const revoked: string[] = [];
    try {
      for (const kind of ['RoleBinding', 'Role']) {
        const grant = await management.find(
          RBAC,
          kind,
          PROVISIONER_KUBECONFIG_ACCESS,
          namespace,
          { signal },
        );
        if (!grant) continue;
        const ageMs = now - lastWritten(grant);
        if (ageMs <= options.maxAgeMs) {
          result.inProgress.push(`${namespace}/${kind}`);
          continue;
        }
        if (
          await management.delete(
            RBAC,
            kind,
            PROVISIONER_KUBECONFIG_ACCESS,
            namespace,
            { signal },
          )
        ) {
          revoked.push(kind);
          result.revoked.push(`${namespace}/${kind}`);
          logger.warn(
            `Revoked the stale kubeconfig grant ${kind} ${namespace}/${PROVISIONER_KUBECONFIG_ACCESS} of tenant ${tenantId} (last written ${Math.round(
              ageMs / 1000,
            )}s ago): its provisioning run crashed, was cancelled or was abandoned`,
          );
        }
      }
      if (revoked.length > 0) {
        const event = await auditor.createEvent({
          eventId: 'tenant-grant-revoked',
          severityLevel: 'high',
          meta: {
            tenantId,
            namespace,
            objects: revoked,
            reason: 'older than the provisioning timeout',
          },
        });
        await event.success();
      }
    } catch (error) {
      logger.error(
        `The grant janitor could not sweep ${namespace}: ${
          (error as Error).message
        }`,
      );
      const event = await auditor.createEvent({
        eventId: 'tenant-grant-revoked',
        severityLevel: 'high',
        meta: { tenantId, namespace, objects: revoked },
      });
      await event.fail({ error: error as Error });
    }
  }
  return result;
}
