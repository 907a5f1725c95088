import { foldAccents } from './search';

describe('foldAccents', () => {
  it.each([
    ['Hospital São João', 'Hospital Sao Joao'],
    ['SÃO JOÃO', 'SAO JOAO'],
    ['Diagnóstico por Imagem', 'Diagnostico por Imagem'],
    ['Pediatria e Ortopedia', 'Pediatria e Ortopedia'],
    ['Ação Çà ü ñ', 'Acao Ca u n'],
    // compatibility forms fold too (full-width letters, ligatures)
    ['Ｓão', 'Sao'],
    ['ﬁm', 'fim'],
    // already decomposed input (combining tilde)
    ['Sa\u0303o', 'Sao'],
  ])('folds %j to %j', (input, expected) => {
    expect(foldAccents(input)).toBe(expected);
  });

  it('keeps letters that have no decomposition and the empty string', () => {
    expect(foldAccents('Øresund ß')).toBe('Øresund ß');
    expect(foldAccents('')).toBe('');
  });
});
