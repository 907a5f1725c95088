import {
  KubernetesClusterClient,
  PROVISIONED_LABEL,
  PROVISIONED_LABEL_FIELD_MANAGER,
  provisionedLabelPatch,
} from '@prontuario/plugin-hospital-tenants-node';
import { ProvisionRun } from './context';

/**
 * Step (checkpoint `<attempt>.provisioned`), the run's last: labels
 * `tenant-<slug>` with `hospital-tenants.io/provisioned`, the one-way gate.
 * From then on the admission policies of deploy/rbac/provisioned-gate.yaml
 * refuse any grant the provisioner writes in that namespace, and only the
 * break-glass group may remove the label. The label has a field manager of
 * its own, so applying the plan's Namespace again never removes it.
 */
export async function markProvisioned(
  run: ProvisionRun,
  management: KubernetesClusterClient,
): Promise<void> {
  await run.ctx.checkpoint<void>({
    key: `${run.attemptKey}.provisioned`,
    fn: async () => {
      await management.apply(provisionedLabelPatch(run.slug), {
        fieldManager: PROVISIONED_LABEL_FIELD_MANAGER,
        signal: run.ctx.signal,
      });
      run.ctx.logger.info(
        `Labelled namespace ${run.namespace} ${PROVISIONED_LABEL}: the provisioner can no longer grant itself access to this tenant`,
      );
    },
  });
}
