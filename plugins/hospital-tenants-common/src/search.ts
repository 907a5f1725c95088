/**
 * Folds accents for search: NFKD decomposition, then every combining mark
 * removed ("São João" → "Sao Joao", "Ｓａｏ" → "Sao"). Case and every other
 * character are kept, so the result reads like the original; search
 * engines lowercase on their own. Unlike {@link departmentNamespaceName}
 * this makes no name: it only gives the engines (which do not fold accents)
 * a form that an unaccented query matches.
 *
 * @public
 */
export function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}
