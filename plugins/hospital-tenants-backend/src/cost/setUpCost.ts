import {
  DatabaseService,
  LifecycleService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
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
  lifecycle: LifecycleService;
}): Promise<CostReadService | undefined> {
  const { config, database, scheduler, logger, index, notifications } = options;
  // notifications go through the notifications backend's HTTP API: never
  // before this backend has started
  let started = false;
  const whenStarted = new Promise<void>(resolve =>
    options.lifecycle.addStartupHook(() => {
      started = true;
      resolve();
    }),
  );
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
      const notify = async () => {
        try {
          await notifier.check(
            index
              .list()
              .map(tenant => ({ tenant, facts: index.facts(tenant.tenantId) })),
          );
        } catch (error) {
          logger.warn(`Could not check the budget notifications: ${error}`);
        }
      };
      if (started) await notify();
      // a refresh run at start-up (before the backend serves) notifies once
      // it has started, without holding the start-up back
      else whenStarted.then(notify);
    },
  });
  // a tenant the last refresh did not know (the catalog had not ingested
  // it yet at start-up, or it was created since) is refreshed within a
  // minute, not at the next refresh (at most every 2 minutes from a replica,
  // so a failing source is not asked again and again)
  let lastTrigger = 0;
  await scheduler.scheduleTask({
    id: 'tenant-cost-new-tenants',
    scope: 'local',
    frequency: { seconds: 30 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 20 },
    fn: async () => {
      const ids = index.list().map(t => t.tenantId);
      if (ids.length === 0) return;
      const states = await store.states(ids);
      if (ids.every(id => states.has(id))) return;
      if (Date.now() - lastTrigger < 120_000) return;
      lastTrigger = Date.now();
      try {
        await scheduler.triggerTask('tenant-cost-refresh');
      } catch (error) {
        // ConflictError: a refresh is already under way
        if (!isError(error) || error.name !== 'ConflictError') throw error;
      }
    },
  });
  return new CostReadService(store, settings);
}
