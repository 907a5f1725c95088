import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** How long the list of hospital groups is reused. */
const TTL_MS = 60_000;

/**
 * The refs of every hospital group (`kind: Group`, `spec.type: hospital`),
 * read from the catalog with the policy's own service credentials and kept
 * for a minute. The visibility rule needs them to hide a person who also
 * belongs to another hospital: their entity names that hospital's group.
 *
 * `list()` answers `undefined` while the catalog cannot be read and no list
 * was read before; the policy then shows no one's staff (fail closed).
 */
export class HospitalGroupDirectory {
  readonly #catalog: Pick<CatalogService, 'getEntities'>;
  readonly #auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  #cached?: { refs: string[]; at: number };
  #pending?: Promise<string[] | undefined>;

  constructor(options: {
    catalog: Pick<CatalogService, 'getEntities'>;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  async list(): Promise<string[] | undefined> {
    if (this.#cached && this.#now() - this.#cached.at < TTL_MS) {
      return this.#cached.refs;
    }
    this.#pending ??= this.#read().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #read(): Promise<string[] | undefined> {
    try {
      const { items } = await this.#catalog.getEntities(
        {
          filter: { kind: 'group', 'spec.type': 'hospital' },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: await this.#auth.getOwnServiceCredentials() },
      );
      const refs = items.map(e =>
        stringifyEntityRef(e).toLocaleLowerCase('en-US'),
      );
      this.#cached = { refs, at: this.#now() };
      return refs;
    } catch (error) {
      this.#logger.warn(
        `Could not read the hospital groups from the catalog: ${
          (error as Error).message
        }`,
      );
      return this.#cached?.refs;
    }
  }
}
