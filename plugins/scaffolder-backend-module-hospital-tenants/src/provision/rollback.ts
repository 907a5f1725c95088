import { isError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';
import { deleteCreated } from './apply';
import { closeAttempt } from './attempt';
import { ProvisionRun } from './context';

/** What the rollback did (for the audit event) and how its cleanup failed, if it did. */
export interface RollbackResult {
  cleanup: JsonObject;
  cleanupError?: Error;
}

/**
 * Step, on failure or cancellation: deletes exactly the objects this run
 * created (or leaves them with `keepOnFailure`), then closes the attempt so
 * a retry of the task starts with fresh checkpoints. Never throws; a
 * cleanup that left objects behind is returned.
 */
export async function rollback(
  run: ProvisionRun,
  options: {
    /** The management cluster, once the run reached it. */
    management?: KubernetesClusterClient;
    keepOnFailure?: boolean;
  },
): Promise<RollbackResult> {
  const { ctx, records, settings } = run;
  const cancelled = !!ctx.signal?.aborted;
  let cleanup: JsonObject = {};
  let cleanupError: Error | undefined;
  const createdCount = records.filter(r => r.created).length;
  const pendingCount = records.filter(r => r.pending).length;
  if (options.management && createdCount + pendingCount > 0) {
    if (options.keepOnFailure) {
      ctx.logger.warn(
        `keepOnFailure is set: leaving the ${createdCount} object(s) this run created for debugging`,
      );
      cleanup = { kept: createdCount };
    } else {
      ctx.logger.info(
        `Provisioning ${
          cancelled ? 'was cancelled' : 'failed'
        }; deleting the ${createdCount} object(s) this run created`,
      );
      try {
        const deleted = await deleteCreated(
          records,
          {
            management: options.management,
            tenant: () => run.clusters.tenant(run.namespace, run.slug),
          },
          {
            logger: ctx.logger,
            timeoutMs: settings.readyTimeoutMs,
            intervalMs: Math.min(settings.pollIntervalMs, 1000),
            taskId: run.taskId,
          },
        );
        cleanup = { deleted: deleted.length };
      } catch (e) {
        cleanupError = e as Error;
        cleanup = { failed: true };
        ctx.logger.error(cleanupError.message);
      }
    }
  }
  if (!ctx.isDryRun && records.length > 0) {
    // a retry of this task starts a new attempt, with fresh checkpoints
    await closeAttempt(ctx, run.attemptKey);
  }
  return { cleanup, cleanupError };
}

/**
 * The error a run throws when its cleanup failed too: the run's own error,
 * of the same class and with the same fields (an `InputError` stays an
 * `InputError` and answers 400, an `InvalidTenantSpecError` keeps its
 * `issues`), whose message adds what the cleanup left behind. The run's
 * error, unchanged, is its `cause`.
 */
export function withCleanupFailure(error: unknown, cleanupError: Error): Error {
  if (!isError(error)) {
    return new Error(`${String(error)}\n${cleanupError.message}`);
  }
  const combined: Error = Object.create(
    Object.getPrototypeOf(error),
    Object.getOwnPropertyDescriptors(error),
  );
  Object.defineProperty(combined, 'message', {
    value: `${error.message}\n${cleanupError.message}`,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(combined, 'cause', {
    value: error,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return combined;
}
