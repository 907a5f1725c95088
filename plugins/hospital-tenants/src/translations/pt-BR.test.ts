import ptBR from './pt-BR';
import { hospitalTenantsEnglishMessages } from '../translation';
import { hospitalTenantsTranslationRef } from '../translation';

function flatten(node: object, prefix = ''): Record<string, string> {
  return Object.entries(node).reduce<Record<string, string>>(
    (acc, [key, value]) =>
      typeof value === 'string'
        ? { ...acc, [`${prefix}${key}`]: value }
        : { ...acc, ...flatten(value, `${prefix}${key}.`) },
    {},
  );
}

const placeholders = (message: string) =>
  [...message.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(m => m[1]).sort();

describe('Brazilian Portuguese messages', () => {
  const english = flatten(hospitalTenantsEnglishMessages);
  const portuguese = ptBR as Record<string, string>;

  it('translate every English message, with the same placeholders', () => {
    expect(Object.keys(portuguese).sort()).toEqual(Object.keys(english).sort());
    for (const [key, message] of Object.entries(english)) {
      expect([key, placeholders(portuguese[key])]).toEqual([
        key,
        placeholders(message),
      ]);
    }
  });

  it('ship with the translation ref, so no app wiring is needed', async () => {
    // The ref's default resource is what the app's translation API loads.
    const resource = (
      hospitalTenantsTranslationRef as any
    ).getDefaultResource();
    const ptBRLoader = resource.resources.find(
      (r: { language: string }) => r.language === 'pt-BR',
    );
    const { messages } = await ptBRLoader.loader();
    expect(messages['slugField.title']).toBe('ID do tenant (slug)');
  });
});
