import { LoggerService } from '@backstage/backend-plugin-api';
import { LunrSearchEngine } from '@backstage/plugin-search-backend-node';
import {
  IndexableResultSet,
  SearchQuery,
} from '@backstage/plugin-search-common';
import { DEFAULT_PREFERRED_TYPES, rankByNameMatch } from './nameMatchRanking';

const DEFAULT_PAGE_SIZE = 25;

function decodePage(pageCursor?: string): number {
  if (!pageCursor) return 0;
  const page = Number(Buffer.from(pageCursor, 'base64').toString('utf-8'));
  return Number.isSafeInteger(page) && page >= 0 ? page : 0;
}

function encodePage(page: number): string {
  return Buffer.from(`${page}`, 'utf-8').toString('base64');
}

/**
 * Backstage's Lunr engine, with results ordered across document types by
 * how well they match the words typed.
 *
 * Backstage's Lunr engine keeps one index per document type and merges the
 * indexes' results by score, but a Lunr score is relative to its own index
 * (its IDF): in a small index of four tenants, "sao" and "joao" weigh little,
 * so a person named João outranked the tenant "Hospital São João". Query-time
 * field boosts cannot fix that (Lunr divides each field's score by the
 * query vector's length, so a boost only reweights words within a field).
 * This engine keeps Backstage's query (its translator) and its scores, then
 * orders all matches by {@link NameMatch}: how many typed words the document
 * holds, how many its title holds, the title's share of typed words, and
 * hospital tenants before other types; the Lunr score orders equal matches.
 *
 * @public
 */
export class NameMatchLunrSearchEngine extends LunrSearchEngine {
  readonly #preferredTypes: ReadonlySet<string>;

  constructor(options: {
    logger: LoggerService;
    /** Types that come first among equal matches; default `hospital-tenant`. */
    preferredTypes?: readonly string[];
  }) {
    super({ logger: options.logger });
    this.#preferredTypes = new Set(
      options.preferredTypes ?? DEFAULT_PREFERRED_TYPES,
    );
  }

  async query(query: SearchQuery): Promise<IndexableResultSet> {
    // every match, in Backstage's order, then ranked and paged here
    const all = await super.query({
      ...query,
      pageCursor: undefined,
      pageLimit: Number.MAX_SAFE_INTEGER,
    });
    const ranked = rankByNameMatch(
      query.term,
      all.results,
      this.#preferredTypes,
    );
    const pageSize = query.pageLimit || DEFAULT_PAGE_SIZE;
    const page = decodePage(query.pageCursor);
    const offset = page * pageSize;
    return {
      results: ranked
        .slice(offset, offset + pageSize)
        .map((result, index) => ({ ...result, rank: offset + index + 1 })),
      numberOfResults: ranked.length,
      nextPageCursor:
        ranked.length > offset + pageSize ? encodePage(page + 1) : undefined,
      previousPageCursor: page > 0 ? encodePage(page - 1) : undefined,
    };
  }
}
