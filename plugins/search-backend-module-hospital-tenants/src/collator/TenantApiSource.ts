import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  HOSPITAL_TENANTS_PLUGIN_ID,
  TENANT_ANNOTATIONS,
  tenantEntityRef,
  tenantListSchema,
} from '@prontuario/plugin-hospital-tenants-common';
import { HospitalTenantFacts } from './HospitalTenantDocument';

/**
 * Where the collator reads tenants from: pages of tenants in id order.
 *
 * @public
 */
export interface HospitalTenantSource {
  pages(): AsyncIterable<HospitalTenantFacts[]>;
}

/** The largest page `GET /tenants` serves. @public */
export const TENANT_API_PAGE_SIZE = 100;

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  ...Object.values(TENANT_ANNOTATIONS).map(
    key => `metadata.annotations.${key}`,
  ),
  'spec.owner',
];

/**
 * Reads the tenants the way the portal shows them: the tenant API's
 * `GET /tenants` cursor pages (which tenants exist, their phase and version)
 * with the search plugin's service credentials, and for each page the
 * tenants' catalog entities by ref (their facts). One page at a time is in
 * memory.
 *
 * @public
 */
export class TenantApiSource implements HospitalTenantSource {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #catalog: CatalogService;
  readonly #logger: LoggerService;
  readonly #pageSize: number;

  constructor(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    catalog: CatalogService;
    logger: LoggerService;
    pageSize?: number;
  }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#pageSize = options.pageSize ?? TENANT_API_PAGE_SIZE;
  }

  async *pages(): AsyncGenerator<HospitalTenantFacts[]> {
    const baseUrl = await this.#discovery.getBaseUrl(
      HOSPITAL_TENANTS_PLUGIN_ID,
    );
    let cursor: string | undefined;
    do {
      const credentials = await this.#auth.getOwnServiceCredentials();
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: HOSPITAL_TENANTS_PLUGIN_ID,
      });
      const url = new URL(`${baseUrl}/tenants`);
      url.searchParams.set('limit', String(this.#pageSize));
      if (cursor) url.searchParams.set('cursor', cursor);
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const page = tenantListSchema.parse(await response.json());
      cursor = page.nextCursor;
      if (page.items.length === 0) continue;

      const { items: entities } = await this.#catalog.getEntitiesByRefs(
        {
          entityRefs: page.items.map(item => tenantEntityRef(item.tenantId)),
          fields: ENTITY_FIELDS,
        },
        { credentials },
      );
      const facts: HospitalTenantFacts[] = [];
      page.items.forEach((item, i) => {
        const entity: Entity | undefined = entities[i];
        if (
          !entity ||
          stringifyEntityRef(entity) !== tenantEntityRef(item.tenantId)
        ) {
          // removed between the two reads: the next run has it right
          this.#logger.debug(
            `Tenant ${item.tenantId} has no catalog entity; not indexed`,
          );
          return;
        }
        facts.push({ item, entity });
      });
      yield facts;
    } while (cursor);
  }
}
