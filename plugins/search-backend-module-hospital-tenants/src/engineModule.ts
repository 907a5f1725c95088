import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DatabaseDocumentStore } from '@backstage/plugin-search-backend-module-pg';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { NameMatchLunrSearchEngine } from './engine/NameMatchLunrSearchEngine';

/**
 * The local search engine: Backstage's Lunr engine with results ordered
 * across document types by how well they match the words typed
 * ({@link NameMatchLunrSearchEngine}), so "sao joao" finds the tenant
 * "Hospital São João" first.
 *
 * It registers only where `@backstage/plugin-search-backend-module-pg` does
 * not (the same check: a database that is not PostgreSQL 12 or newer), so
 * both modules can be installed together; without either, the search
 * plugin falls back to the plain Lunr engine.
 *
 * @public
 */
export const searchModuleHospitalTenantsLunrEngine = createBackendModule({
  pluginId: 'search',
  moduleId: 'hospital-tenants-lunr-engine',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        logger: coreServices.logger,
        searchEngineRegistry: searchEngineRegistryExtensionPoint,
      },
      async init({ database, logger, searchEngineRegistry }) {
        if (await DatabaseDocumentStore.supported(await database.getClient())) {
          return;
        }
        logger.info(
          'Search engine: Lunr, results ordered by how well they match the words typed',
        );
        searchEngineRegistry.setSearchEngine(
          new NameMatchLunrSearchEngine({ logger }),
        );
      },
    });
  },
});
