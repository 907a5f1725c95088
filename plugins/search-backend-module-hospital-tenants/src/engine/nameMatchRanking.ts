import {
  IndexableDocument,
  IndexableResult,
} from '@backstage/plugin-search-common';
import {
  foldAccents,
  HOSPITAL_TENANT_TYPE,
} from '@prontuario/plugin-hospital-tenants-common';

/** Lunr's word separator as Backstage's Lunr indexer sets it: anything but letters and digits. */
const SEPARATOR = /[^\p{L}\p{N}]+/u;

/** The distinct words of a text: lower case, split like Lunr, accents folded. */
export function words(text: string): Set<string> {
  return new Set(
    foldAccents(text.toLocaleLowerCase('en-US'))
      .split(SEPARATOR)
      .filter(Boolean),
  );
}

/**
 * The words of a document's searchable values: every string and list of
 * strings but its location (an address, not content) and its
 * authorization (a permission reference).
 */
function documentWords(document: IndexableDocument): Set<string> {
  const values: string[] = [];
  for (const [field, value] of Object.entries(document)) {
    if (field === 'location' || field === 'authorization') continue;
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) {
      values.push(...value.filter((v): v is string => typeof v === 'string'));
    }
  }
  return words(values.join(' '));
}

function countIn(queryWords: Set<string>, target: Set<string>): number {
  let n = 0;
  for (const word of queryWords) if (target.has(word)) n += 1;
  return n;
}

/**
 * How well a document matches the words typed, comparable across document
 * types (unlike a Lunr score, which is relative to its type's own index).
 * Compared in order; higher is better.
 *
 * @public
 */
export interface NameMatch {
  /** How many of the typed words the document holds exactly (accents folded). */
  words: number;
  /** How many of them its title holds. */
  titleWords: number;
  /** The share of the title's words that were typed: "Hospital São João" over "… Unidade Norte". */
  titlePrecision: number;
  /** 1 for a preferred type (hospital tenants) holding a typed word, else 0. */
  preferredType: number;
}

/** Scores one result against the typed words. */
export function nameMatch(
  queryWords: Set<string>,
  result: IndexableResult,
  preferredTypes: ReadonlySet<string>,
): NameMatch {
  const title = words(result.document.title ?? '');
  const titleWords = countIn(queryWords, title);
  const held = countIn(queryWords, documentWords(result.document));
  return {
    words: held,
    titleWords,
    titlePrecision: title.size ? titleWords / title.size : 0,
    preferredType: held > 0 && preferredTypes.has(result.type) ? 1 : 0,
  };
}

const ORDER: (keyof NameMatch)[] = [
  'words',
  'titleWords',
  'titlePrecision',
  'preferredType',
];

/**
 * The document types that come first among equal matches.
 *
 * @public
 */
export const DEFAULT_PREFERRED_TYPES: readonly string[] = [
  HOSPITAL_TENANT_TYPE,
];

/**
 * Orders results by {@link NameMatch}, keeping the engine's order (its
 * score) among equal matches. Returns a new array.
 *
 * @public
 */
export function rankByNameMatch(
  term: string,
  results: IndexableResult[],
  preferredTypes: ReadonlySet<string> = new Set(DEFAULT_PREFERRED_TYPES),
): IndexableResult[] {
  const queryWords = words(term);
  if (queryWords.size === 0) return [...results];
  const scored = results.map((result, index) => ({
    result,
    index,
    match: nameMatch(queryWords, result, preferredTypes),
  }));
  scored.sort((a, b) => {
    for (const key of ORDER) {
      const d = b.match[key] - a.match[key];
      if (d !== 0) return d;
    }
    return a.index - b.index;
  });
  return scored.map(s => s.result);
}
