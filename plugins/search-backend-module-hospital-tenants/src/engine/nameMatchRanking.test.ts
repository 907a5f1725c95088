import { IndexableResult } from '@backstage/plugin-search-common';
import { rankByNameMatch, words } from './nameMatchRanking';

const result = (
  type: string,
  title: string,
  extra: Record<string, unknown> = {},
): IndexableResult => ({
  type,
  document: { title, text: '', location: `/${type}/${title}`, ...extra },
});

describe('words', () => {
  it('splits like Lunr, lower-cases and folds accents', () => {
    expect([...words('Hospital São-JOÃO, joao.saojoao')]).toEqual([
      'hospital',
      'sao',
      'joao',
      'saojoao',
    ]);
  });
});

describe('rankByNameMatch', () => {
  it('ranks by typed words held, then in the title, then the title share, then the tenant type', () => {
    const ranked = rankByNameMatch('sao joao', [
      result('software-catalog', 'joao.saojoao', { text: 'João São João' }),
      result('software-catalog', 'Hospital São João'),
      result('hospital-tenant', 'Hospital São João Unidade Norte'),
      result('hospital-tenant', 'Hospital São João'),
      result('software-catalog', 'bruno.sre'),
    ]);
    expect(ranked.map(r => `${r.type} ${r.document.title}`)).toEqual([
      'hospital-tenant Hospital São João',
      'software-catalog Hospital São João',
      'hospital-tenant Hospital São João Unidade Norte',
      'software-catalog joao.saojoao',
      'software-catalog bruno.sre',
    ]);
  });

  it('counts lists of strings and ignores the location and authorization', () => {
    const ranked = rankByNameMatch('clinica', [
      result('software-catalog', 'clinic-app', {
        location: '/catalog/default/component/clinica',
        authorization: { resourceRef: 'resource:default/clinica' },
      }),
      result('hospital-tenant', 'Hospital São João', {
        departments: ['Clínica Geral'],
      }),
    ]);
    expect(ranked[0].document.title).toBe('Hospital São João');
  });

  it("keeps the engine's order among equal matches and for an empty term", () => {
    const input = [
      result('software-catalog', 'a'),
      result('software-catalog', 'b'),
      result('hospital-tenant', 'c'),
    ];
    // only fuzzy matches: no type comes first
    expect(rankByNameMatch('zzz', input)).toEqual(input);
    expect(rankByNameMatch('  ', input)).toEqual(input);
  });
});
