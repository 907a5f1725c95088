import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  KubernetesClusterClient,
  KubernetesObject,
} from '@prontuario/plugin-hospital-tenants-node';
import { CREATED_BY_TASK_ANNOTATION, describeObject } from './plan';

/** What a checkpoint records about one applied object (never anything secret). */
export type AppliedRecord = {
  created: boolean;
};

/**
 * Server-side applies one object and tells whether this task created it.
 *
 * The object is read first: an object that does not exist yet is created
 * with the annotation `hospital-tenants.io/created-by-task: <task id>`; an
 * existing one keeps the value it has. So a task resumed after a crash that
 * struck between the write and its checkpoint still knows the object is its
 * own (the annotation names it), and a later failure deletes it; an object
 * that existed before the task is never claimed.
 */
export async function applyRecorded(
  client: KubernetesClusterClient,
  object: KubernetesObject,
  options: { fieldManager: string; taskId: string; signal?: AbortSignal },
): Promise<AppliedRecord> {
  const { apiVersion, kind, metadata } = object;
  const live = await client.find(
    apiVersion,
    kind,
    metadata.name,
    metadata.namespace,
    { signal: options.signal },
  );
  const createdBy = live
    ? (live.metadata.annotations?.[CREATED_BY_TASK_ANNOTATION] as
        | string
        | undefined)
    : options.taskId;
  const stamped: KubernetesObject = createdBy
    ? {
        ...object,
        metadata: {
          ...metadata,
          annotations: {
            ...metadata.annotations,
            [CREATED_BY_TASK_ANNOTATION]: createdBy,
          },
        },
      }
    : object;
  const result = await client.apply(stamped, {
    fieldManager: options.fieldManager,
    signal: options.signal,
  });
  return { created: result.created || createdBy === options.taskId };
}

/** An object this run applied, with the cluster it went to. */
export interface RecordedObject {
  target: 'management-cluster' | 'tenant-cluster';
  object: KubernetesObject;
  created: boolean;
  /**
   * The apply was under way when the run failed: whether it created the
   * object is unknown, so cleanup reads the object and deletes it only when
   * its created-by-task annotation names this task.
   */
  pending?: boolean;
}

/**
 * Deletes exactly the objects this run recorded as created, newest first,
 * and waits until a namespace it deleted is gone (so a retry starts clean).
 * Objects that existed before the run are never touched. Tenant-cluster
 * objects go with their control plane when this run created it. Returns
 * what it deleted; throws an error listing what it could not.
 */
export async function deleteCreated(
  records: RecordedObject[],
  clients: {
    management: KubernetesClusterClient;
    tenant?: () => Promise<KubernetesClusterClient>;
  },
  options: {
    logger: LoggerService;
    timeoutMs: number;
    intervalMs: number;
    taskId: string;
  },
): Promise<string[]> {
  const candidates = records.filter(r => r.created || r.pending).reverse();
  const created: RecordedObject[] = [];
  for (const r of candidates) {
    if (r.created) {
      created.push(r);
      continue;
    }
    if (r.target !== 'management-cluster') {
      // a tenant-cluster object goes with a control plane this run created;
      // otherwise it is checked like a management-cluster one
      if (!clients.tenant) continue;
    }
    try {
      const client =
        r.target === 'management-cluster'
          ? clients.management
          : await clients.tenant!();
      const { apiVersion, kind, metadata } = r.object;
      const live = await client.find(
        apiVersion,
        kind,
        metadata.name,
        metadata.namespace,
      );
      if (
        live?.metadata.annotations?.[CREATED_BY_TASK_ANNOTATION] ===
        options.taskId
      ) {
        created.push({ ...r, created: true });
      }
    } catch {
      // unknown and unreadable: left alone, never deleted on a guess
    }
  }
  const tcpCreated = created.some(
    r =>
      r.target === 'management-cluster' &&
      r.object.kind === 'TenantControlPlane',
  );
  const deleted: string[] = [];
  const failed: string[] = [];
  let tenant: KubernetesClusterClient | undefined;
  let tenantUnreachable = false;
  for (const { target, object } of created) {
    const what = `${describeObject(object)} (${target})`;
    try {
      let client = clients.management;
      if (target === 'tenant-cluster') {
        if (tcpCreated) {
          // removed with the control plane this run created
          continue;
        }
        if (tenantUnreachable || !clients.tenant) {
          failed.push(`${what}: the tenant cluster is unreachable`);
          continue;
        }
        try {
          tenant ??= await clients.tenant();
        } catch (error) {
          tenantUnreachable = true;
          failed.push(`${what}: ${(error as Error).message}`);
          continue;
        }
        client = tenant;
      }
      const { apiVersion, kind, metadata } = object;
      await client.delete(apiVersion, kind, metadata.name, metadata.namespace, {
        propagationPolicy: 'Background',
      });
      deleted.push(what);
      options.logger.info(`Deleted ${what}, created by this run`);
    } catch (error) {
      if (error instanceof NotFoundError) continue;
      failed.push(`${what}: ${(error as Error).message}`);
    }
  }
  const namespaces = created.filter(
    r => r.target === 'management-cluster' && r.object.kind === 'Namespace',
  );
  for (const ns of namespaces) {
    try {
      await clients.management.waitForNamespaceGone(ns.object.metadata.name, {
        timeoutMs: options.timeoutMs,
        intervalMs: options.intervalMs,
      });
    } catch (error) {
      failed.push(
        `${describeObject(ns.object)} did not finish terminating: ${
          (error as Error).message
        }`,
      );
    }
  }
  if (failed.length > 0) {
    throw new Error(
      `Cleanup left ${failed.length} object(s) behind:\n${failed
        .map(f => `- ${f}`)
        .join('\n')}`,
    );
  }
  return deleted;
}
