import {
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { TenantIndex } from '../tenants/TenantIndex';
import { BudgetNotifier, readBudgetNoticeSettings } from './BudgetNotifier';
import { readCostSettings } from './config';
import { CostReadService } from './CostReadService';
import { CostRefresher } from './CostRefresher';
import { CostStore } from './CostStore';

/**
 * The cost part of the plugin: the snapshot store, the refresh task (scope
 * global: one replica refreshes every tenant per run) and the read side.
 * After each refresh, the budget notifications (`BudgetNotifier`).
 * Undefined when `hospitalTenants.cost` is not configured.
 */
export async function setUpCost(options: {
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  index: TenantIndex;
  notifications: NotificationService;
}): Promise<CostReadService | undefined> {
  const { config, database, scheduler, logger, index, notifications } = options;
  const settings = readCostSettings(config);
  if (!settings) {
    logger.info(
      'hospitalTenants.cost is not configured: the cost routes answer 503',
    );
    return undefined;
  }
  const store = await CostStore.create(database);
  const refresher = new CostRefresher({ settings, store, logger });
  const notifier = new BudgetNotifier({
    store,
    costSettings: settings,
    settings: readBudgetNoticeSettings(config),
    notifications,
    logger,
  });
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
      await notifier.check(
        index
          .list()
          .map(tenant => ({ tenant, facts: index.facts(tenant.tenantId) })),
      );
    },
  });
  return new CostReadService(store, settings);
}
