import {
  KubernetesClusterClient,
  PROVISIONED_LABEL,
} from '@prontuario/plugin-hospital-tenants-node';
import { ProvisionRun } from './context';

/**
 * Step (checkpoint `<attempt>.gate`), before any write: whether the tenant
 * already passed the one-way gate (its namespace carries
 * `hospital-tenants.io/provisioned`). A run on a provisioned tenant (day
 * two) holds no grant: it converges the management layer and leaves the
 * tenant layer as it is, since the provisioner can no longer reach the
 * tenant's API server. Recorded, so a resumed run takes the same path.
 */
export async function readProvisionedState(
  run: ProvisionRun,
  management: KubernetesClusterClient,
): Promise<{ provisioned: boolean }> {
  return run.ctx.checkpoint<{ provisioned: boolean }>({
    key: `${run.attemptKey}.gate`,
    fn: async () => {
      const ns = await management.find(
        'v1',
        'Namespace',
        run.namespace,
        undefined,
        { signal: run.ctx.signal },
      );
      const provisioned =
        ns?.metadata?.labels?.[PROVISIONED_LABEL] !== undefined;
      if (provisioned) {
        run.ctx.logger.info(
          `Tenant ${run.slug} is provisioned (${PROVISIONED_LABEL}): converging the management layer only; the tenant layer is left as it is`,
        );
      }
      return { provisioned };
    },
  });
}
