import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { NameMatchLunrSearchEngine } from './engine/NameMatchLunrSearchEngine';
import { searchModuleHospitalTenantsLunrEngine } from './engineModule';

jest.setTimeout(60_000);

describe('searchModuleHospitalTenantsLunrEngine', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'registers the ranked Lunr engine only where the PostgreSQL engine does not (%s)',
    async id => {
      const knex = await databases.init(id);
      const setSearchEngine = jest.fn();
      const backend = await startTestBackend({
        extensionPoints: [
          [searchEngineRegistryExtensionPoint, { setSearchEngine }],
        ],
        features: [
          searchModuleHospitalTenantsLunrEngine,
          mockServices.database.factory({ knex }),
        ],
      });
      try {
        if (id === 'POSTGRES_15') {
          expect(setSearchEngine).not.toHaveBeenCalled();
        } else {
          expect(setSearchEngine).toHaveBeenCalledTimes(1);
          expect(setSearchEngine.mock.calls[0][0]).toBeInstanceOf(
            NameMatchLunrSearchEngine,
          );
        }
      } finally {
        await backend.stop();
      }
    },
  );
});
