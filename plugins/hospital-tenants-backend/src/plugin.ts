import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  tenantCostReadPermission,
  tenantReadPermission,
  tenantSlaReadPermission,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  hospitalTenantPermissionResourceRef,
  hospitalTenantPermissionRules,
  managementClusterReaderServiceRef,
  tenantClusterReaderServiceRef,
} from '@prontuario/plugin-hospital-tenants-node';
import { readTenantApiSettings } from './config';
import {
  expectedClusterGroup,
  isolationExpectations,
  readTenantsConfigForIsolation,
} from './isolation/expectedClusterGroup';
import { setUpCost } from './cost/setUpCost';
import { TenantAuthorizer } from './permissions/TenantAuthorizer';
import { createRouter } from './router';
import { TenantDataService } from './services/TenantDataService';
import { TenantIndex } from './tenants/TenantIndex';
import { readSlaSettings } from './sla/config';
import { SlaService } from './sla/SlaService';

/**
 * The tenant API, `hospital-tenants`: `/api/hospital-tenants/tenants`,
 * `/tenants/{id}/status` and `/tenants/{id}/isolation`. Registers the
 * `hospital-tenant` permission resource type.
 *
 * @public
 */
export const hospitalTenantsPlugin = createBackendPlugin({
  pluginId: 'hospital-tenants',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        management: managementClusterReaderServiceRef,
        tenantReader: tenantClusterReaderServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, scheduler, permissionsRegistry } = deps;
        const settings = readTenantApiSettings(config);
        const index = new TenantIndex({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
        });

        permissionsRegistry.addResourceType({
          resourceRef: hospitalTenantPermissionResourceRef,
          permissions: [
            tenantReadPermission,
            tenantCostReadPermission,
            tenantSlaReadPermission,
          ],
          rules: Object.values(hospitalTenantPermissionRules),
          // from memory: the conditional callback never reads the catalog
          getResources: async refs => {
            await index.ready();
            return index.byRefs(refs);
          },
        });

        // every replica keeps its own index; scope local
        await scheduler.scheduleTask({
          id: 'tenant-index-refresh',
          scope: 'local',
          frequency: { seconds: settings.tenantIndexRefreshSeconds },
          timeout: { minutes: 1 },
          fn: async () => {
            try {
              await index.refresh();
            } catch (error) {
              logger.warn(`Could not refresh the tenant index: ${error}`);
            }
          },
        });

        const tenantsConfig = readTenantsConfigForIsolation(config, logger);
        const data = new TenantDataService({
          management: deps.management,
          tenantReader: deps.tenantReader,
          expectations: isolationExpectations(config, tenantsConfig),
          expectedGroup: (tenant, tcp) =>
            expectedClusterGroup({
              clusterGroup: index.clusterGroup(tenant.tenantId),
              tenantsConfig,
              tcp,
            }),
          cache: deps.cache,
          logger,
          settings,
        });
        if (settings.warmupSeconds > 0) {
          // one replica at a time refreshes every tenant into the shared cache
          await scheduler.scheduleTask({
            id: 'tenant-cache-warmup',
            scope: 'global',
            frequency: { seconds: settings.warmupSeconds },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 5 },
            fn: async () => {
              await index.ready(60_000);
              await data.warm(index.list());
            },
          });
        }

        const cost = await setUpCost({
          config,
          database: deps.database,
          scheduler,
          logger,
          index,
          notifications: deps.notifications,
          lifecycle: deps.lifecycle,
        });
        const slaSettings = readSlaSettings(config);
        const sla = new SlaService({
          settings: slaSettings,
          cache: deps.cache,
          logger,
          catalog: deps.catalog,
          auth: deps.auth,
          keepStaleMs: settings.keepStaleMs,
        });
        if (slaSettings.prometheus) {
          // one replica at a time computes every tenant's SLA into the shared cache
          await scheduler.scheduleTask({
            id: 'tenant-sla-refresh',
            scope: 'global',
            frequency: { seconds: slaSettings.refreshSeconds },
            timeout: { minutes: 10 },
            initialDelay: { seconds: 5 },
            fn: async () => {
              await index.ready(60_000);
              await sla.refresh(index.list());
            },
          });
        }

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            index,
            authorizer: new TenantAuthorizer({
              permissions: deps.permissions,
              ruleset: permissionsRegistry.getPermissionRuleset(
                hospitalTenantPermissionResourceRef,
              ),
            }),
            data,
            cost,
            sla,
            validateResponses: config.getOptionalBoolean(
              'hospitalTenants.api.validateResponses',
            ),
          }),
        );
      },
    });
  },
});
