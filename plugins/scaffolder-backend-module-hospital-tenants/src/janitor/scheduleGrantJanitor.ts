import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { ManagementClusterAccess } from '@prontuario/plugin-hospital-tenants-node';
import { readProvisioningSettings } from '../settings';
import { sweepStaleGrants } from './grantJanitor';

/** The scheduler task id of the grant janitor. @public */
export const GRANT_JANITOR_TASK_ID = 'hospital-tenants-grant-janitor';

/**
 * Schedules the grant janitor (one instance across the backend's replicas)
 * as the provisioner identity, every `grantJanitor.frequency`. Without
 * management cluster configuration there is nothing to sweep: the service
 * ref has already warned, and no task is scheduled.
 */
export async function scheduleGrantJanitor(deps: {
  config: Config;
  scheduler: SchedulerService;
  provisioner: ManagementClusterAccess;
  logger: LoggerService;
  auditor: AuditorService;
}): Promise<boolean> {
  const { config, scheduler, provisioner, logger, auditor } = deps;
  if (!provisioner.configured) return false;
  const settings = readProvisioningSettings(config);
  const { frequencyMs, maxAgeMs } = settings.grantJanitor;
  await scheduler.scheduleTask({
    id: GRANT_JANITOR_TASK_ID,
    scope: 'global',
    frequency: { milliseconds: frequencyMs },
    timeout: { milliseconds: Math.max(frequencyMs, 60_000) },
    initialDelay: { seconds: 15 },
    fn: async signal => {
      const result = await sweepStaleGrants({
        management: provisioner.client(),
        maxAgeMs,
        logger,
        auditor,
        signal: signal as AbortSignal,
      });
      logger.debug(
        `Grant janitor: ${result.revoked.length} stale grant object(s) revoked, ${result.inProgress.length} left to runs in progress`,
      );
    },
  });
  return true;
}
