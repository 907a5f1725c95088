import {
  KubernetesClusterClient,
  KubernetesObject,
} from '@prontuario/plugin-hospital-tenants-node';
import { ProvisionRun } from './context';
import { describeObject } from './plan';

/**
 * Step (checkpoint `<attempt>.grant-revoked`), the run's second-to-last:
 * deletes the run-scoped grant (the RoleBinding first, then the Role), so
 * the provisioner holds no access to the tenant's admin kubeconfig once the
 * tenant layer is applied. Idempotent: a grant already gone (deleted by a
 * crashed attempt or the janitor) is fine.
 */
export async function revokeRunScopedGrant(
  run: ProvisionRun,
  management: KubernetesClusterClient,
  grant: KubernetesObject[],
): Promise<{ revoked: number }> {
  return run.ctx.checkpoint<{ revoked: number }>({
    key: `${run.attemptKey}.grant-revoked`,
    fn: async () => {
      let revoked = 0;
      // the binding first: without it the Role grants nobody anything
      const ordered = [...grant].sort(
        (a, b) =>
          Number(b.kind === 'RoleBinding') - Number(a.kind === 'RoleBinding'),
      );
      for (const o of ordered) {
        const deleted = await management.delete(
          o.apiVersion,
          o.kind,
          o.metadata.name,
          o.metadata.namespace,
          { signal: run.ctx.signal },
        );
        if (deleted) revoked++;
        run.ctx.logger.info(
          `Revoked ${describeObject(o)}${deleted ? '' : ' (already gone)'}`,
        );
      }
      return { revoked };
    },
  });
}
