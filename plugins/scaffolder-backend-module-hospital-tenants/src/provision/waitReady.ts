import { ServiceUnavailableError } from '@backstage/errors';
import { adminKubeconfigSecretName } from '@prontuario/plugin-hospital-tenants-common';
import {
  KubernetesClusterClient,
  pollUntil,
} from '@prontuario/plugin-hospital-tenants-node';
import { ProvisionRun } from './context';

/** What the wait learns: public facts only (a checkpoint records them). */
export type ControlPlaneFacts = {
  controlPlaneEndpoint: string;
  adminKubeconfigSecretName: string;
};

/** The status fields of a TenantControlPlane the wait reads. */
type TenantControlPlaneStatus = {
  controlPlaneEndpoint?: unknown;
  kubeconfig?: { admin?: { secretName?: unknown } };
};

/**
 * Step (checkpoint `<attempt>.ready`): waits until the TenantControlPlane is
 * Ready with its latest generation observed, then (unless `probeTenant` is
 * false: a provisioned tenant's API server is out of the provisioner's
 * reach) until the tenant's API server answers `/readyz`, within
 * `readyTimeout`; logs progress and honours cancellation.
 */
export async function waitForControlPlane(
  run: ProvisionRun,
  management: KubernetesClusterClient,
  options: { probeTenant?: boolean } = {},
): Promise<ControlPlaneFacts> {
  const { ctx, slug, namespace, settings: s } = run;
  const signal = ctx.signal;
  return ctx.checkpoint<ControlPlaneFacts>({
    key: `${run.attemptKey}.ready`,
    fn: async () => {
      const deadline = Date.now() + s.readyTimeoutMs;
      ctx.logger.info(
        `Waiting up to ${Math.round(
          s.readyTimeoutMs / 1000,
        )}s for TenantControlPlane ${namespace}/${slug} to be Ready`,
      );
      const tcp = await management.waitForTenantControlPlaneReady(
        namespace,
        slug,
        {
          timeoutMs: s.readyTimeoutMs,
          intervalMs: s.pollIntervalMs,
          signal,
          onProgress: p =>
            ctx.logger.info(
              `TenantControlPlane ${slug}: ${
                p.status ?? 'pending'
              } (observed generation ${p.observedGeneration ?? '-'} of ${
                p.generation ?? '-'
              })`,
            ),
        },
      );
      const tenant =
        options.probeTenant === false
          ? undefined
          : await run.clusters.tenant(namespace, slug, { signal });
      if (tenant) {
        let lastStatus: number | undefined;
        await pollUntil(
          async () => {
            const probe = await tenant.probeReadyz({ signal });
            if (probe.ready) return true;
            lastStatus = probe.status;
            ctx.logger.info(
              `Tenant ${slug} API server /readyz: not yet (HTTP ${
                probe.status ?? '-'
              })`,
            );
            return undefined;
          },
          {
            timeoutMs: Math.max(0, deadline - Date.now()),
            intervalMs: s.pollIntervalMs,
            signal,
            onTimeout: () => {
              throw new ServiceUnavailableError(
                `The API server of tenant ${slug} did not answer /readyz within ${Math.round(
                  s.readyTimeoutMs / 1000,
                )}s (last: HTTP ${lastStatus ?? 'no answer'})`,
              );
            },
          },
        );
      }
      ctx.logger.info(
        tenant
          ? `Tenant ${slug} control plane is Ready and answers /readyz`
          : `Tenant ${slug} control plane is Ready`,
      );
      const status = tcp.status as TenantControlPlaneStatus | undefined;
      return {
        controlPlaneEndpoint: String(status?.controlPlaneEndpoint ?? ''),
        adminKubeconfigSecretName: String(
          status?.kubeconfig?.admin?.secretName ??
            adminKubeconfigSecretName(slug),
        ),
      };
    },
  });
}
