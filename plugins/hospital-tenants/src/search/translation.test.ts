import ptBR from './pt-BR';
import {
  hospitalTenantsSearchEnglishMessages,
  hospitalTenantsSearchTranslationRef,
} from './translation';

const placeholders = (message: string) =>
  [...message.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(m => m[1]).sort();

describe('search strings', () => {
  it('translate every English message to Brazilian Portuguese, with the same placeholders', () => {
    const english = hospitalTenantsSearchEnglishMessages as Record<
      string,
      string
    >;
    const portuguese = ptBR as Record<string, string>;
    expect(Object.keys(portuguese).sort()).toEqual(Object.keys(english).sort());
    for (const [key, message] of Object.entries(english)) {
      expect([key, placeholders(portuguese[key])]).toEqual([
        key,
        placeholders(message),
      ]);
    }
  });

  it('ship pt-BR with the translation ref', async () => {
    const resource = (
      hospitalTenantsSearchTranslationRef as any
    ).getDefaultResource();
    const loader = resource.resources.find(
      (r: { language: string }) => r.language === 'pt-BR',
    );
    const { messages } = await loader.loader();
    expect(messages.resultType).toBe('Tenants hospitalares');
  });
});
