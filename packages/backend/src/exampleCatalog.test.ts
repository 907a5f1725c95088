import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import path from 'node:path';
import request from 'supertest';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';

/**
 * The catalog data the portal ships with, read by the real catalog backend
 * from the same files `yarn start` uses, on SQLite and PostgreSQL.
 */

const repoRoot = path.resolve(__dirname, '../../..');

// The reference hospitals from the product brief; their tenant entities come
// from the cluster through the entity provider, their groups from the org.
const REFERENCE_HOSPITALS = [
  'real-hospital-portugues',
  'hospital-santa-maria',
  'hospital-sao-joao',
];

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

// Starting a catalog backend and processing the files takes seconds on CI.
jest.setTimeout(60_000);

async function startCatalog(knex: Awaited<ReturnType<TestDatabases['init']>>) {
  const location = (file: string) => ({
    type: 'file',
    target: path.join(repoRoot, file),
  });
  return startTestBackend({
    features: [
      catalogPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [{ allow: ['Component', 'System', 'Domain'] }],
            locations: [
              location('catalog-info.yaml'),
              location('examples/system.yaml'),
              {
                ...location('examples/org.yaml'),
                rules: [{ allow: ['User', 'Group'] }],
              },
            ],
          },
        },
      }),
    ],
  });
}

async function waitForEntities(
  server: Parameters<typeof request>[0],
  filter: string,
  count: number,
): Promise<Entity[]> {
  let items: Entity[] = [];
  await pollUntil(
    async () => {
      const res = await request(server)
        .get(`/api/catalog/entities/by-query?filter=${filter}`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      items = res.body.items;
      return items.length >= count ? true : undefined;
    },
    // the caller's assertion says what was read
    { timeoutMs: 30_000, intervalMs: 250, onTimeout: () => true },
  );
  return items;
}

describe.each(databases.eachSupportedId())('example catalog on %s', id => {
  it('describes the platform system every tenant belongs to', async () => {
    const knex = await databases.init(id);
    const backend = await startCatalog(knex);
    const { server } = backend;
    try {
      const [system] = await waitForEntities(server, 'kind=system', 1);
      expect(stringifyEntityRef(system)).toBe(
        'system:default/prontuario-medico',
      );
      expect(system.spec?.owner).toBe('group:default/platform-engineering');
    } finally {
      await backend.stop();
    }
  });

  it('puts the guest user in the platform group and every hospital in its own group', async () => {
    const knex = await databases.init(id);
    const backend = await startCatalog(knex);
    const { server } = backend;
    try {
      const groups = await waitForEntities(server, 'kind=group', 5);
      const byName = new Map(groups.map(g => [g.metadata.name, g]));
      expect([...byName.keys()].sort()).toEqual([
        'finance',
        'hospital-santa-maria',
        'hospital-sao-joao',
        'platform-engineering',
        'real-hospital-portugues',
      ]);
      for (const slug of REFERENCE_HOSPITALS) {
        // A hospital group, with no parent listing every hospital.
        expect(byName.get(slug)?.spec?.type).toBe('hospital');
        expect(byName.get(slug)?.spec?.parent).toBeUndefined();
        expect(
          byName.get(slug)?.metadata.annotations?.[
            'hospital-tenants.io/cluster-group'
          ],
        ).toBe(`hospital:${slug}`);
      }

      const users = await waitForEntities(server, 'kind=user', 6);
      expect(
        users.find(u => u.metadata.name === 'fatima.finance')?.spec,
      ).toMatchObject({
        memberOf: ['finance'],
        profile: { email: 'fatima.finance@prontuario.example' },
      });
      const guest = users.find(u => u.metadata.name === 'ana.platform');
      expect(guest?.spec?.memberOf).toEqual(['platform-engineering']);
      // The ref app-config.yaml signs the guest in as.
      expect(guest && stringifyEntityRef(guest)).toBe(
        'user:default/ana.platform',
      );
    } finally {
      await backend.stop();
    }
  });
});
