import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CLUSTER_GROUP_ANNOTATION,
  HOSPITAL_TENANT_TYPE,
  isTenantId,
  TENANT_ANNOTATIONS,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  clusterGroupOfOwner,
  HospitalTenantPermissionResource,
} from '@prontuario/plugin-hospital-tenants-node';

/**
 * What the API knows of a tenant without asking anyone: its id, entity ref
 * and owner (what `IS_TENANT_OWNER` needs).
 *
 * @public
 */
export type TenantRecord = HospitalTenantPermissionResource;

/**
 * A tenant's facts from its entity's annotations (cost: budget, daily users).
 *
 * @public
 */
export interface TenantFacts {
  displayName?: string;
  monthlyBudgetBrl?: number;
  dailyUsers?: number;
}

/**
 * The owner group's cluster group (its `hospital-tenants.io/cluster-group`
 * annotation, without the OIDC prefix), or why there is none.
 *
 * @public
 */
export type OwnerClusterGroup = { name: string } | { problem: string };

function positiveNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * The tenants of the catalog, kept in memory and refreshed in the
 * background with the plugin's own service credentials, so that no request
 * reads the catalog. Ordered by tenant id.
 *
 * @public
 */
export class TenantIndex {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  #tenants = new Map<string, TenantRecord>();
  #facts = new Map<string, TenantFacts>();
  #clusterGroups = new Map<string, OwnerClusterGroup>();
  #sorted: TenantRecord[] = [];
  #loaded = false;
  #firstLoad: Promise<void>;
  #resolveFirstLoad!: () => void;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#firstLoad = new Promise(resolve => {
      this.#resolveFirstLoad = resolve;
    });
  }

  /** Reads every tenant entity from the catalog and replaces the index. */
  async refresh(): Promise<void> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: { kind: 'resource', 'spec.type': HOSPITAL_TENANT_TYPE },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'spec.owner',
        ],
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    const next = new Map<string, TenantRecord>();
    const facts = new Map<string, TenantFacts>();
    for (const entity of items) {
      const name = entity.metadata.name;
      const namespace = entity.metadata.namespace ?? 'default';
      const owner = entity.spec?.owner;
      if (namespace !== 'default' || !isTenantId(name)) {
        this.#logger.warn(
          `Ignoring tenant entity ${stringifyEntityRef(
            entity,
          )}: not a tenant id in the default namespace`,
        );
        continue;
      }
      const annotations = entity.metadata.annotations ?? {};
      facts.set(name, {
        displayName: annotations[TENANT_ANNOTATIONS.displayName],
        monthlyBudgetBrl: positiveNumber(
          annotations[TENANT_ANNOTATIONS.monthlyBudgetBrl],
        ),
        dailyUsers: positiveNumber(annotations[TENANT_ANNOTATIONS.dailyUsers]),
      });
      next.set(name, {
        tenantId: name,
        entityRef: stringifyEntityRef({
          kind: 'resource',
          namespace: 'default',
          name,
        }),
        // fail closed: a tenant without an owner is owned by nobody
        owner:
          typeof owner === 'string' ? owner.toLocaleLowerCase('en-US') : '',
      });
    }
    let groups: Map<string, OwnerClusterGroup>;
    try {
      groups = await this.#ownerClusterGroups([...next.values()]);
    } catch (error) {
      // keep what the last refresh knew; the tenants themselves are fresh
      this.#logger.warn(`Could not read the tenants' owner groups: ${error}`);
      groups = new Map(
        [...this.#tenants.values()].map(t => [
          t.owner,
          this.#clusterGroups.get(t.tenantId) ?? {
            problem: `the owner group ${t.owner} could not be read from the catalog`,
          },
        ]),
      );
    }
    const clusterGroups = new Map<string, OwnerClusterGroup>();
    for (const [tenantId, record] of next) {
      clusterGroups.set(
        tenantId,
        groups.get(record.owner) ?? {
          problem: record.owner
            ? `the owner group ${record.owner} could not be read from the catalog`
            : 'the tenant has no owner group',
        },
      );
    }
    this.#tenants = next;
    this.#facts = facts;
    this.#clusterGroups = clusterGroups;
    this.#sorted = [...next.values()].sort((a, b) =>
      a.tenantId < b.tenantId ? -1 : 1,
    );
    if (!this.#loaded) {
      this.#loaded = true;
      this.#resolveFirstLoad();
    }
  }

  /** The cluster group of each owner group ref, read in one catalog call. */
  async #ownerClusterGroups(
    tenants: TenantRecord[],
  ): Promise<Map<string, OwnerClusterGroup>> {
    const owners = [...new Set(tenants.map(t => t.owner).filter(Boolean))];
    const result = new Map<string, OwnerClusterGroup>();
    if (owners.length === 0) return result;
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: owners, fields: ['kind', 'metadata.annotations'] },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    owners.forEach((owner, i) => {
      const group = items[i];
      try {
        // the rule the provisioning run applies to the same annotation
        result.set(owner, {
          name: clusterGroupOfOwner(
            owner,
            group && {
              kind: group.kind,
              metadata: { annotations: group.metadata?.annotations },
            },
          ),
        });
      } catch {
        result.set(owner, {
          problem: group
            ? `the owner group ${owner} has no usable ${CLUSTER_GROUP_ANNOTATION} annotation`
            : `the owner group ${owner} is not in the catalog`,
        });
      }
    });
    return result;
  }

  /** Resolves once the first refresh has succeeded; 503 after `timeoutMs`. */
  async ready(timeoutMs = 5000): Promise<void> {
    if (this.#loaded) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#firstLoad,
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new ServiceUnavailableError(
                  'The tenant index is not loaded yet; try again shortly',
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  get(tenantId: string): TenantRecord | undefined {
    return this.#tenants.get(tenantId);
  }

  /** The tenant's facts from its entity (budget, daily users). */
  facts(tenantId: string): TenantFacts {
    return this.#facts.get(tenantId) ?? {};
  }

  /** The owner group's cluster group (the tenant RBAC check), once read. */
  clusterGroup(tenantId: string): OwnerClusterGroup | undefined {
    return this.#clusterGroups.get(tenantId);
  }

  /** Tenants in id order. */
  list(): readonly TenantRecord[] {
    return this.#sorted;
  }

  /** The records of entity refs, index-aligned (for the permission registry's getResources). */
  byRefs(refs: string[]): Array<TenantRecord | undefined> {
    return refs.map(ref => {
      const match = /^resource:default\/(.+)$/.exec(
        ref.toLocaleLowerCase('en-US'),
      );
      return match ? this.#tenants.get(match[1]) : undefined;
    });
  }
}
