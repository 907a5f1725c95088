import fs from 'node:fs';
import {
  API_SERVER_CA_ANNOTATION,
  API_SERVER_CA_FIELD_MANAGER,
  KubernetesClusterClient,
} from '@prontuario/plugin-hospital-tenants-node';
import { ProvisionRun } from './context';

/**
 * Step (checkpoint `<attempt>.api-server-ca`), while the run still holds
 * its grant: publishes the tenant API server's CA certificate (public) as
 * the annotation `hospital-tenants.io/api-server-ca` of `tenant-<slug>`, so
 * that the portal's read-only tenant identity
 * (`tenantClusterReaderServiceRef`) verifies the tenant API server without
 * reading any Secret. Its own field manager keeps it apart from the plan's
 * Namespace and the gate label.
 */
export async function publishApiServerCa(
  run: ProvisionRun,
  management: KubernetesClusterClient,
  tenant: () => Promise<KubernetesClusterClient>,
): Promise<void> {
  await run.ctx.checkpoint<void>({
    key: `${run.attemptKey}.api-server-ca`,
    fn: async () => {
      const cluster = (await tenant()).kubeConfig.getCurrentCluster();
      const ca =
        cluster?.caData ??
        (cluster?.caFile
          ? (await fs.promises.readFile(cluster.caFile)).toString('base64')
          : undefined);
      if (!ca) {
        run.ctx.logger.warn(
          `The admin kubeconfig of tenant ${run.slug} names no CA certificate; the portal's read-only tenant checks will be unavailable for it`,
        );
        return;
      }
      await management.apply(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: run.namespace,
            annotations: { [API_SERVER_CA_ANNOTATION]: ca },
          },
        },
        { fieldManager: API_SERVER_CA_FIELD_MANAGER, signal: run.ctx.signal },
      );
      run.ctx.logger.info(
        `Published the API server CA of tenant ${run.slug} on namespace ${run.namespace}`,
      );
    },
  });
}
