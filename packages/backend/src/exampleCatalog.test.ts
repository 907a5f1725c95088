import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import path from 'node:path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';

/**
 * The catalog data the portal ships with, read by the real catalog backend
 * from the same files `yarn start` uses, on SQLite and PostgreSQL.
 */

const repoRoot = path.resolve(__dirname, '../../..');

const TENANT_ANNOTATIONS = [
  'hospital-tenants.io/tenant-id',
  'hospital-tenants.io/display-name',
  'hospital-tenants.io/daily-users',
  'hospital-tenants.io/departments',
  'hospital-tenants.io/region',
  'hospital-tenants.io/environment',
  'hospital-tenants.io/monthly-budget-brl',
  'hospital-tenants.io/sla-p95-seconds',
  'hospital-tenants.io/sla-availability',
  'hospital-tenants.io/sla-throughput-rps',
  'hospital-tenants.io/kubernetes-version',
  'hospital-tenants.io/owner',
  'backstage.io/kubernetes-id',
];

// The reference hospitals from the product brief.
const REFERENCE_TENANTS = {
  'real-hospital-portugues': {
    title: 'Real Hospital Português',
    dailyUsers: 200,
    departments: 4,
  },
  'hospital-santa-maria': {
    title: 'Hospital Santa Maria',
    dailyUsers: 500,
    departments: 8,
  },
  'hospital-sao-joao': {
    title: 'Hospital São João',
    dailyUsers: 150,
    departments: 3,
  },
};

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
            rules: [{ allow: ['Component', 'System', 'Domain', 'Resource'] }],
            locations: [
              location('catalog-info.yaml'),
              location('examples/system.yaml'),
              location('examples/tenants.yaml'),
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
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-query?filter=${filter}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    if (res.body.items.length >= count || Date.now() > deadline) {
      return res.body.items;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe.each(databases.eachSupportedId())('example catalog on %s', id => {
  it('lists the three reference hospital tenants with every fact annotation', async () => {
    const knex = await databases.init(id);
    const backend = await startCatalog(knex);
    const { server } = backend;
    try {
      const tenants = await waitForEntities(
        server,
        'kind=resource,spec.type=hospital-tenant',
        3,
      );

      expect(tenants.map(stringifyEntityRef).sort()).toEqual([
        'resource:default/hospital-santa-maria',
        'resource:default/hospital-sao-joao',
        'resource:default/real-hospital-portugues',
      ]);
      for (const tenant of tenants) {
        const slug = tenant.metadata.name as keyof typeof REFERENCE_TENANTS;
        const expected = REFERENCE_TENANTS[slug];
        const annotations = tenant.metadata.annotations ?? {};
        for (const key of TENANT_ANNOTATIONS) {
          expect({ slug, key, value: annotations[key] }).toEqual({
            slug,
            key,
            value: expect.stringMatching(/\S/),
          });
        }
        expect(tenant.metadata.title).toBe(expected.title);
        expect(annotations['hospital-tenants.io/tenant-id']).toBe(slug);
        expect(annotations['hospital-tenants.io/display-name']).toBe(
          expected.title,
        );
        expect(Number(annotations['hospital-tenants.io/daily-users'])).toBe(
          expected.dailyUsers,
        );
        expect(
          annotations['hospital-tenants.io/departments'].split(','),
        ).toHaveLength(expected.departments);
        expect(tenant.spec?.owner).toBe(`group:default/${slug}`);
        expect(annotations['hospital-tenants.io/owner']).toBe(
          `group:default/${slug}`,
        );
        expect(tenant.spec?.system).toBe('system:default/prontuario-medico');
      }
    } finally {
      await backend.stop();
    }
  });

  it('puts the guest user in the platform group and every hospital in its own group', async () => {
    const knex = await databases.init(id);
    const backend = await startCatalog(knex);
    const { server } = backend;
    try {
      const groups = await waitForEntities(server, 'kind=group', 4);
      const byName = new Map(groups.map(g => [g.metadata.name, g]));
      expect([...byName.keys()].sort()).toEqual([
        'hospital-santa-maria',
        'hospital-sao-joao',
        'platform-engineering',
        'real-hospital-portugues',
      ]);
      for (const slug of Object.keys(REFERENCE_TENANTS)) {
        expect(
          byName.get(slug)?.metadata.annotations?.[
            'hospital-tenants.io/cluster-group'
          ],
        ).toBe(`hospital:${slug}`);
      }

      const users = await waitForEntities(server, 'kind=user', 5);
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
