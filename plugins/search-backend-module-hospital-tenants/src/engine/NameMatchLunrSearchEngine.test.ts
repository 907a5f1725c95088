import { mockServices } from '@backstage/backend-test-utils';
import {
  LunrSearchEngine,
  TestPipeline,
} from '@backstage/plugin-search-backend-node';
import {
  IndexableDocument,
  IndexableResultSet,
} from '@backstage/plugin-search-common';
import { NameMatchLunrSearchEngine } from './NameMatchLunrSearchEngine';

/**
 * The portal's documents in miniature, as the catalog collator and the
 * tenant collator write them: the catalog's people and groups in one large
 * index, the tenants in a small one.
 */
function person(name: string, displayName: string, email: string) {
  return {
    title: name,
    text: `${displayName} : ${email}`,
    location: `/catalog/default/user/${name}`,
    kind: 'User',
    type: 'other',
    namespace: 'default',
  };
}

const catalog: IndexableDocument[] = [
  person('joao.saojoao', 'João (Hospital São João)', 'joao@saojoao.example'),
  person(
    'sofia.santamaria',
    'Sofia (Hospital Santa Maria)',
    'sofia@sm.example',
  ),
  person('ana.platform', 'Ana Platform', 'ana.platform@prontuario.example'),
  person('bruno.sre', 'Bruno SRE', 'bruno.sre@prontuario.example'),
  person('rita.rhp', 'Rita (Real Hospital Português)', 'rita@rhp.example'),
  person('fatima.finance', 'Fátima (Finance)', 'fatima@prontuario.example'),
  {
    title: 'Hospital São João',
    text: 'Hospital São João',
    location: '/catalog/default/group/hospital-sao-joao',
    kind: 'Group',
    type: 'hospital',
    namespace: 'default',
  },
  {
    title: 'Platform Engineering',
    text: 'Runs the multi-tenant platform : Platform Engineering',
    location: '/catalog/default/group/platform-engineering',
    kind: 'Group',
    type: 'team',
    namespace: 'default',
  },
  ...Array.from({ length: 12 }, (_, i) => ({
    title: `service-${i}`,
    text: `A service of the platform number ${i}`,
    location: `/catalog/default/component/service-${i}`,
    kind: 'Component',
    type: 'service',
    namespace: 'default',
  })),
];

function tenant(slug: string, name: string, folded: string) {
  return {
    title: name,
    text: `${name} ${folded} ${slug} southamerica-east1 production`,
    location: `/catalog/default/resource/${slug}`,
    tenantId: slug,
    hospitalName: name,
    hospitalNameFolded: folded,
  };
}

const tenants: IndexableDocument[] = [
  tenant('hospital-sao-joao', 'Hospital São João', 'Hospital Sao Joao'),
  tenant(
    'hospital-sao-joao-unidade-norte',
    'Hospital São João Unidade Norte',
    'Hospital Sao Joao Unidade Norte',
  ),
  tenant(
    'hospital-santa-maria',
    'Hospital Santa Maria',
    'Hospital Santa Maria',
  ),
  tenant(
    'real-hospital-portugues',
    'Real Hospital Português',
    'Real Hospital Portugues',
  ),
];

async function indexed<T extends LunrSearchEngine>(engine: T): Promise<T> {
  for (const [type, documents] of [
    ['software-catalog', catalog],
    ['hospital-tenant', tenants],
  ] as const) {
    await TestPipeline.fromIndexer(await engine.getIndexer(type))
      .withDocuments(documents)
      .execute();
  }
  return engine;
}

const locations = (set: IndexableResultSet) =>
  set.results.map(r => r.document.location);

describe('NameMatchLunrSearchEngine', () => {
  const logger = mockServices.logger.mock();
  let plain: LunrSearchEngine;
  let ranked: NameMatchLunrSearchEngine;

  beforeAll(async () => {
    plain = await indexed(new LunrSearchEngine({ logger }));
    ranked = await indexed(new NameMatchLunrSearchEngine({ logger }));
  });

  it("reproduces Backstage's Lunr merge: the person outranks the tenant on per-index scores", async () => {
    const res = await plain.query({ term: 'sao joao' });
    expect(locations(res)[0]).toBe('/catalog/default/user/joao.saojoao');
  });

  it.each(['sao joao', 'São João', 'SÃO JOÃO', 'SAO JOAO'])(
    'puts the tenant Hospital São João first for %j, then its namesake group, then the second unit',
    async term => {
      const res = await ranked.query({ term });
      expect(locations(res).slice(0, 3)).toEqual([
        '/catalog/default/resource/hospital-sao-joao',
        '/catalog/default/group/hospital-sao-joao',
        '/catalog/default/resource/hospital-sao-joao-unidade-norte',
      ]);
      expect(res.results[0]).toMatchObject({
        type: 'hospital-tenant',
        rank: 1,
      });
    },
  );

  it.each([
    ['joao.saojoao', '/catalog/default/user/joao.saojoao'],
    ['Ana Platform', '/catalog/default/user/ana.platform'],
    ['platform engineering', '/catalog/default/group/platform-engineering'],
    ['service-7', '/catalog/default/component/service-7'],
    [
      'unidade norte',
      '/catalog/default/resource/hospital-sao-joao-unidade-norte',
    ],
  ])('still puts %j first by its own name', async (term, location) => {
    const res = await ranked.query({ term });
    expect(locations(res)[0]).toBe(location);
  });

  it('finds the same documents as the plain engine, only ordered differently', async () => {
    for (const term of ['sao joao', 'hospital', 'platform', 'santa']) {
      const [a, b] = await Promise.all([
        plain.query({ term, pageLimit: 1000 }),
        ranked.query({ term, pageLimit: 1000 }),
      ]);
      expect([...locations(b)].sort()).toEqual([...locations(a)].sort());
      expect(b.numberOfResults).toBe(a.numberOfResults);
    }
  });

  it('pages through every ranked result once, with contiguous ranks', async () => {
    const all = await ranked.query({ term: 'platform', pageLimit: 1000 });
    expect(all.results.length).toBeGreaterThan(5);
    const seen: string[] = [];
    const ranks: number[] = [];
    const previous: boolean[] = [];
    let pageCursor: string | undefined;
    let pages = 0;
    do {
      const page = await ranked.query({
        term: 'platform',
        pageLimit: 2,
        pageCursor,
      });
      pages += 1;
      previous.push(page.previousPageCursor !== undefined);
      seen.push(...locations(page));
      ranks.push(...page.results.map(r => r.rank!));
      pageCursor = page.nextPageCursor;
    } while (pageCursor);
    expect(seen).toEqual(locations(all));
    expect(ranks).toEqual(all.results.map((_, i) => i + 1));
    expect(pages).toBe(Math.ceil(all.results.length / 2));
    expect(previous).toEqual(previous.map((_, i) => i > 0));
  });

  it('keeps the type filter and the default page size of 25', async () => {
    const onlyCatalog = await ranked.query({
      term: 'sao joao',
      types: ['software-catalog'],
    });
    expect(onlyCatalog.results.every(r => r.type === 'software-catalog')).toBe(
      true,
    );
    const many = await ranked.query({ term: 'platform service' });
    expect(many.results).toHaveLength(Math.min(25, many.numberOfResults!));
  });
});
