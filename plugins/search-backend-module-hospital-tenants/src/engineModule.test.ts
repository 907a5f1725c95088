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
        // PostgreSQL: the PostgreSQL engine's module registers instead
        expect(
          setSearchEngine.mock.calls.map(
            ([engine]) => engine instanceof NameMatchLunrSearchEngine,
          ),
        ).toEqual(id === 'POSTGRES_15' ? [] : [true]);
      } finally {
        await backend.stop();
      }
    },
  );
});
