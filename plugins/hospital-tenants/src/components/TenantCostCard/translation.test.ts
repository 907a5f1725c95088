import ptBR from './pt-BR';
import { tenantCostEnglishMessages } from './translation';

function flatten(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [`${prefix}${key}`]
      : flatten(value, `${prefix}${key}.`),
  );
}

describe('the cost strings in Brazilian Portuguese', () => {
  it('translate every English key, and no other', () => {
    expect(Object.keys(ptBR).sort()).toEqual(
      flatten(tenantCostEnglishMessages).sort(),
    );
  });

  it('keep every placeholder', () => {
    const english = Object.fromEntries(
      flatten(tenantCostEnglishMessages).map(k => [
        k,
        k.split('.').reduce((o: any, p) => o[p], tenantCostEnglishMessages),
      ]),
    );
    const placeholders = (s: string) => (s.match(/{{\w+}}/g) ?? []).sort();
    for (const [key, text] of Object.entries(ptBR)) {
      expect([key, placeholders(text)]).toEqual([
        key,
        placeholders(english[key]),
      ]);
    }
  });
});
