import {
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { TenantIndex } from '../tenants/TenantIndex';
import { readCostSettings } from './config';
import { CostReadService } from './CostReadService';
import { CostRefresher } from './CostRefresher';
import { CostStore } from './CostStore';

/**
 * The cost part of the plugin: the snapshot store, the refresh task (scope
 * global: one replica refreshes every tenant per run) and the read side.
 * Undefined when `hospitalTenants.cost` is not configured.
 */
export async function setUpCost(options: {
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  index: TenantIndex;
}): Promise<CostReadService | undefined> {
  const { config, database, scheduler, logger, index } = options;
  const settings = readCostSettings(config);
  if (!settings) {
    logger.info(
      'hospitalTenants.cost is not configured: the cost routes answer 503',
    );
    return undefined;
  }
  const store = await CostStore.create(database);
  const refresher = new CostRefresher({ settings, store, logger });
  await scheduler.scheduleTask({
    id: 'tenant-cost-refresh',
    scope: 'global',
    frequency: { minutes: settings.refreshMinutes },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 3 },
    fn: async signal => {
      await index.ready(60_000);
      const tenants = index.list().map(t => t.tenantId);
      const written = await refresher.refresh(tenants, signal);
      logger.info(
        `Cost refresh: ${written.size} of ${tenants.length} tenant(s) refreshed`,
      );
    },
  });
  return new CostReadService(store, settings);
}
