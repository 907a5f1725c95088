import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  catalogEntities,
  catalogRefs,
  eventually,
  FINANCE_USER,
  get,
  NO_GROUP_USER,
  PLATFORM_USER,
  SANTA_MARIA_USER,
  SAO_JOAO_USER,
  searchRefs,
  searchResults,
  Server,
  startPortalBackend,
  TENANTS,
  TWO_HOSPITALS_USER,
  writeReferenceTenantEntities,
} from './__testUtils__/portalBackend';

/**
 * Each row of the visibility table (packages/backend/README.md) through the
 * real catalog and search backends on SQLite and PostgreSQL 15, as a hostile
 * user of each kind would try it.
 */

const PLATFORM_WIDE = [
  'component:default/prontuario-portal',
  'domain:default/saude',
  'group:default/platform-engineering',
  'system:default/prontuario-medico',
  'user:default/ana.platform',
  'user:default/bruno.sre',
];

const SANTA_MARIA_OWN = [
  'resource:default/hospital-santa-maria',
  'group:default/hospital-santa-maria',
  'user:default/sofia.santamaria',
  'component:default/santa-maria-triage',
];
const SAO_JOAO_OWN = [
  'resource:default/hospital-sao-joao',
  'group:default/hospital-sao-joao',
  'user:default/joao.saojoao',
  'component:default/sao-joao-triage',
];

/** What each caller may see of the whole catalog (the table's rows). */
const VISIBLE: Record<string, string[]> = {
  [SANTA_MARIA_USER]: [...PLATFORM_WIDE, ...SANTA_MARIA_OWN],
  [SAO_JOAO_USER]: [...PLATFORM_WIDE, ...SAO_JOAO_OWN],
  [TWO_HOSPITALS_USER]: [
    ...PLATFORM_WIDE,
    ...SANTA_MARIA_OWN,
    ...SAO_JOAO_OWN,
    'user:default/duarte.duplo',
  ],
  [NO_GROUP_USER]: [...PLATFORM_WIDE, 'user:default/nina.semgrupo'],
  [FINANCE_USER]: [
    ...PLATFORM_WIDE,
    ...TENANTS,
    'group:default/finance',
    'user:default/fatima.finance',
  ],
};

/**
 * Words that name São João or the Real Hospital Português (their tenants,
 * groups, staff and e-mail domains). Duarte, who works for both Santa Maria
 * and São João, is named by Santa Maria's group (`hasMember`) by username
 * only; his own entity, which names São João, stays hidden.
 */
const OTHER_HOSPITALS_OF_SANTA_MARIA =
  /sao-?joao|são joão|real-hospital|portugu|rhp|rita/i;

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

jest.setTimeout(180_000);

describe.each(databases.eachSupportedId())('the visibility rule on %s', id => {
  let backend: Awaited<ReturnType<typeof startPortalBackend>>;
  let server: Server;
  let tenantsFile: string;

  beforeAll(async () => {
    tenantsFile = await writeReferenceTenantEntities();
    backend = await startPortalBackend(id, tenantsFile);
    server = backend.server;
    await eventually(
      () => catalogRefs(server, PLATFORM_USER),
      refs =>
        [
          ...TENANTS,
          'user:default/duarte.duplo',
          'user:default/nina.semgrupo',
          'user:default/fatima.finance',
          'component:default/sao-joao-triage',
          'component:default/santa-maria-triage',
          'component:default/prontuario-portal',
        ].every(ref => refs.includes(ref)),
    );
    await eventually(
      () => searchRefs(server, PLATFORM_USER, 'triage'),
      refs => refs.length === 2,
    );
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(path.dirname(tenantsFile), { recursive: true, force: true });
  });

  it.each(Object.entries(VISIBLE))(
    'shows %s exactly its rows of the table',
    async (user, expected) => {
      expect(await catalogRefs(server, user)).toEqual([...expected].sort());
    },
  );

  it('still shows platform engineers everything', async () => {
    const refs = await catalogRefs(server, PLATFORM_USER);
    for (const expected of Object.values(VISIBLE).flat()) {
      expect(refs).toContain(expected);
    }
    expect(refs).toContain('template:default/provision-something');
    expect(refs.some(ref => ref.startsWith('location:'))).toBe(true);
  });

  it('names no other hospital in anything a Santa Maria user reads', async () => {
    const entities = await catalogEntities(server, SANTA_MARIA_USER);
    expect(JSON.stringify(entities)).not.toMatch(
      OTHER_HOSPITALS_OF_SANTA_MARIA,
    );
    // The shared System names no tenant.
    const system = entities.find(
      e => e.kind === 'System' && e.metadata.name === 'prontuario-medico',
    );
    expect(
      (system.relations as any[]).filter(r => r.type === 'hasPart'),
    ).toEqual([
      expect.objectContaining({
        targetRef: 'component:default/prontuario-portal',
      }),
    ]);
    // Its own tenant's location names no cluster.
    const own = entities.find(e => e.metadata.name === 'hospital-santa-maria');
    expect(JSON.stringify(own)).not.toMatch(/https?:|127\.0\.0\.1|6443/);
  });

  it('answers a hidden entity exactly like an unknown one, by any spelling', async () => {
    const probes = [
      'resource/default/hospital-sao-joao',
      'Resource/default/HOSPITAL-SAO-JOAO',
      'resource/default/hospital%2Dsao%2Djoao',
      'RESOURCE/DEFAULT/hospital-sao-joao',
      'group/default/hospital-sao-joao',
      'group/default/Hospital-Sao-Joao',
      'group/default/finance',
      'user/default/joao.saojoao',
      'user/default/JOAO.SAOJOAO',
      'user/default/duarte.duplo',
      'component/default/sao-joao-triage',
      'template/default/provision-something',
    ];
    const unknown = await get(
      server,
      SANTA_MARIA_USER,
      '/api/catalog/entities/by-name/resource/default/hospital-nao-existe',
    );
    expect(unknown.status).toBe(404);
    for (const probe of probes) {
      const res = await get(
        server,
        SANTA_MARIA_USER,
        `/api/catalog/entities/by-name/${probe}`,
      );
      expect({
        probe,
        status: res.status,
        error: res.body.error?.name,
      }).toEqual({ probe, status: 404, error: unknown.body.error.name });
    }
    // The owner still reads its own, by any spelling.
    expect(
      (
        await get(
          server,
          SANTA_MARIA_USER,
          '/api/catalog/entities/by-name/RESOURCE/default/Hospital-Santa-Maria',
        )
      ).status,
    ).toBe(200);

    const byRefs = await request(server)
      .post('/api/catalog/entities/by-refs')
      .set('Authorization', mockCredentials.user.header(SANTA_MARIA_USER))
      .send({
        entityRefs: [
          'resource:default/hospital-sao-joao',
          'RESOURCE:default/HOSPITAL-SAO-JOAO',
          'resource:default/hospital-nao-existe',
          'resource:default/hospital-santa-maria',
        ],
      });
    expect(byRefs.status).toBe(200);
    expect(byRefs.body.items.map((e: any) => e && e.metadata.name)).toEqual([
      null,
      null,
      null,
      'hospital-santa-maria',
    ]);
  });

  it('answers ancestry of a hidden entity like an unknown one', async () => {
    const ancestry = (ref: string) =>
      get(
        server,
        SANTA_MARIA_USER,
        `/api/catalog/entities/by-name/${ref}/ancestry`,
      );
    const hidden = await ancestry('resource/default/hospital-sao-joao');
    const unknown = await ancestry('resource/default/hospital-nao-existe');
    expect(hidden.status).toBe(unknown.status);
    expect(hidden.body.error?.name).toBe(unknown.body.error?.name);
  });

  it('leaks nothing through facets, relation facets included', async () => {
    const facets = [
      'relations.hasPart',
      'relations.partOf',
      'relations.ownedBy',
      'relations.ownerOf',
      'relations.memberOf',
      'relations.hasMember',
      'relations.parentOf',
      'relations.childOf',
      'metadata.name',
      'metadata.title',
      'spec.owner',
      'spec.memberOf',
      'spec.members',
      'spec.profile.email',
      'metadata.annotations.hospital-tenants.io/owner',
      'metadata.annotations.hospital-tenants.io/display-name',
    ];
    const res = await get(
      server,
      SANTA_MARIA_USER,
      `/api/catalog/entity-facets?${facets
        .map(f => `facet=${encodeURIComponent(f)}`)
        .join('&')}`,
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(
      OTHER_HOSPITALS_OF_SANTA_MARIA,
    );
    // ... while the platform team sees them.
    const platform = await get(
      server,
      PLATFORM_USER,
      `/api/catalog/entity-facets?${facets
        .map(f => `facet=${encodeURIComponent(f)}`)
        .join('&')}`,
    );
    expect(JSON.stringify(platform.body)).toMatch(/hospital-sao-joao/);
  });

  it('confirms no guess through relation filters', async () => {
    const guesses = [
      'relations.hasPart=resource:default/hospital-sao-joao',
      'relations.ownerOf=resource:default/hospital-sao-joao',
      'relations.ownedBy=group:default/hospital-sao-joao',
      'relations.hasMember=user:default/joao.saojoao',
      'relations.memberOf=group:default/hospital-sao-joao',
      'relations.HASPART=RESOURCE:DEFAULT/HOSPITAL-SAO-JOAO',
      'relations.ownedby=group:default/HOSPITAL-SAO-JOAO',
      'metadata.annotations.hospital-tenants.io/owner=group:default/hospital-sao-joao',
      'spec.owner=group:default/hospital-sao-joao',
    ];
    for (const guess of guesses) {
      const res = await get(
        server,
        SANTA_MARIA_USER,
        `/api/catalog/entities/by-query?filter=${encodeURIComponent(guess)}`,
      );
      expect({ guess, status: res.status, items: res.body.items }).toEqual({
        guess,
        status: 200,
        items: [],
      });
      expect(res.body.totalItems).toBe(0);
    }
    // The same guesses name what the platform team may see.
    const platform = await get(
      server,
      PLATFORM_USER,
      `/api/catalog/entities/by-query?filter=${encodeURIComponent(
        'relations.ownedBy=group:default/hospital-sao-joao',
      )}`,
    );
    expect(platform.body.items.length).toBeGreaterThan(0);
  });

  it('answers by-entity locations the same for a hidden, an unknown and its own entity', async () => {
    const byEntity = (ref: string) =>
      get(server, SANTA_MARIA_USER, `/api/catalog/locations/by-entity/${ref}`);
    const answers = await Promise.all(
      [
        'resource/default/hospital-sao-joao',
        'resource/default/hospital-nao-existe',
        'resource/default/hospital-santa-maria',
        'group/default/hospital-sao-joao',
      ].map(byEntity),
    );
    for (const res of answers) {
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 404,
        error: answers[1].body.error,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/https?:\/\/|6443|tenant-/);
    }
    const list = await get(server, SANTA_MARIA_USER, '/api/catalog/locations');
    expect(list.body).toEqual([]);
  });

  it("answers the permission backend's authorize for a hidden entity like an unknown one", async () => {
    const authorize = async (resourceRef: string) => {
      const res = await request(server)
        .post('/api/permission/authorize')
        .set('Authorization', mockCredentials.user.header(SANTA_MARIA_USER))
        .send({
          items: [
            {
              id: '1',
              permission: {
                type: 'resource',
                name: 'catalog.entity.read',
                attributes: { action: 'read' },
                resourceType: 'catalog-entity',
              },
              resourceRef,
            },
          ],
        });
      expect(res.status).toBe(200);
      return res.body.items[0].result;
    };
    expect(await authorize('resource:default/hospital-sao-joao')).toBe('DENY');
    expect(await authorize('resource:default/hospital-nao-existe')).toBe(
      'DENY',
    );
    expect(await authorize('user:default/joao.saojoao')).toBe('DENY');
    expect(await authorize('resource:default/hospital-santa-maria')).toBe(
      'ALLOW',
    );
  });

  it('filters search results the same way', async () => {
    for (const term of [
      'hospital',
      'joao',
      'São João',
      'triage',
      'portugues',
    ]) {
      const body = await searchResults(server, SANTA_MARIA_USER, term);
      expect({ term, text: JSON.stringify(body.results) }).not.toEqual({
        term,
        text: expect.stringMatching(OTHER_HOSPITALS_OF_SANTA_MARIA),
      });
    }
    expect(await searchRefs(server, SANTA_MARIA_USER, 'triage')).toEqual([
      'component:default/santa-maria-triage',
    ]);
    expect(await searchRefs(server, TWO_HOSPITALS_USER, 'triage')).toEqual([
      'component:default/santa-maria-triage',
      'component:default/sao-joao-triage',
    ]);
    expect(await searchRefs(server, NO_GROUP_USER, 'triage')).toEqual([]);
    const financeTenants = (
      await searchRefs(server, FINANCE_USER, 'hospital')
    ).filter(ref => TENANTS.includes(ref));
    expect(financeTenants).toEqual([...TENANTS].sort());
    expect(await searchRefs(server, FINANCE_USER, 'joao')).not.toContain(
      'user:default/joao.saojoao',
    );
  });
});
