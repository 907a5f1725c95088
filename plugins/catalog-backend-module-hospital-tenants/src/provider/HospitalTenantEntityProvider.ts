import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { isError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  DNS_1035_LABEL,
  HOSPITAL_TENANTS_EVENT_TOPIC,
  managementNamespaceName,
  TENANT_LABEL,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  ClusterObject,
  KubernetesClusterClient,
} from '@prontuario/plugin-hospital-tenants-node';
import { z } from 'zod';
import {
  TenantControlPlaneLike,
  tenantControlPlaneToEntity,
} from './tenantControlPlaneToEntity';

const TCP_API_VERSION = 'kamaji.clastix.io/v1alpha1';
const TCP_KIND = 'TenantControlPlane';

/**
 * What the provider needs of the management cluster, read with the reader
 * identity.
 *
 * @public
 */
export type TenantControlPlaneReader = Pick<
  KubernetesClusterClient,
  'server' | 'list' | 'find'
>;

const changedEventSchema = z.object({
  type: z.literal('tenant.changed'),
  tenantId: z.string().regex(DNS_1035_LABEL),
});

/**
 * Emits one `resource:default/<slug>` entity of type `hospital-tenant` per
 * TenantControlPlane carrying the `hospital-tenants.io/tenant` label on the
 * management cluster: tenants provisioned by the template, by GitOps or by
 * hand all appear the same way, and disappear when they are gone.
 *
 * A scheduled full refresh lists them all; an event on the
 * `hospital-tenants` topic ingests (or removes) one tenant at once.
 *
 * @public
 */
export class HospitalTenantEntityProvider implements EntityProvider {
  readonly #reader: TenantControlPlaneReader;
  readonly #logger: LoggerService;
  readonly #schedule: SchedulerServiceTaskRunner;
  readonly #events?: EventsService;
  readonly #locationKey: string;
  #connection?: EntityProviderConnection;

  constructor(options: {
    /** The management cluster, read with the reader identity. */
    reader: TenantControlPlaneReader;
    logger: LoggerService;
    /** When to run the full refresh. */
    schedule: SchedulerServiceTaskRunner;
    /** Where tenant changes are announced; optional. */
    events?: EventsService;
  }) {
    this.#reader = options.reader;
    this.#logger = options.logger.child({ target: this.getProviderName() });
    this.#schedule = options.schedule;
    this.#events = options.events;
    this.#locationKey = `${this.getProviderName()}:${options.reader.server}`;
  }

  getProviderName(): string {
    return 'hospital-tenants';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#schedule.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
    await this.#events?.subscribe({
      id: `${this.getProviderName()}-provider`,
      topics: [HOSPITAL_TENANTS_EVENT_TOPIC],
      onEvent: params => this.onEvent(params),
    });
  }

  /**
   * Lists every labelled TenantControlPlane and replaces this provider's
   * entities with them. When the list itself fails nothing is replaced, so
   * a flaky API server never empties the catalog.
   */
  async refresh(): Promise<{ entities: number; skipped: number }> {
    const connection = this.#requireConnection();
    const started = Date.now();
    let items: TenantControlPlaneLike[];
    try {
      items = await this.#reader.list<TenantControlPlaneLike & ClusterObject>(
        TCP_API_VERSION,
        TCP_KIND,
        { labelSelector: TENANT_LABEL },
      );
    } catch (error) {
      this.#logger.error(
        `Could not list TenantControlPlanes on ${
          this.#reader.server
        }; keeping the current tenant entities: ${describe(error)}`,
      );
      throw error;
    }

    const entities: Entity[] = [];
    let skipped = 0;
    for (const tcp of items) {
      const entity = this.#toEntity(tcp);
      if (entity) {
        entities.push(entity);
      } else {
        skipped += 1;
      }
    }
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.#locationKey,
      })),
    });
    this.#logger.info(
      `Read ${items.length} TenantControlPlanes in ${
        Date.now() - started
      } ms: ${entities.length} tenant entities, ${skipped} skipped`,
    );
    return { entities: entities.length, skipped };
  }

  /**
   * Reads one tenant's TenantControlPlane and adds, updates or removes its
   * entity. A tenant the reader may not read is reported and left as it is.
   */
  async refreshTenant(
    tenantId: string,
  ): Promise<'added' | 'removed' | 'skipped'> {
    const connection = this.#requireConnection();
    const entityRef = `resource:default/${tenantId}`;
    let tcp: TenantControlPlaneLike | undefined;
    try {
      tcp = await this.#reader.find<TenantControlPlaneLike & ClusterObject>(
        TCP_API_VERSION,
        TCP_KIND,
        tenantId,
        managementNamespaceName(tenantId),
      );
    } catch (error) {
      const reason =
        error instanceof NotAllowedError
          ? 'the reader identity may not read it'
          : describe(error);
      this.#logger.error(
        `Could not read the TenantControlPlane of tenant ${tenantId}: ${reason}`,
      );
      return 'skipped';
    }

    if (!tcp || !tcp.metadata?.labels?.[TENANT_LABEL]) {
      await connection.applyMutation({
        type: 'delta',
        added: [],
        removed: [{ entityRef, locationKey: this.#locationKey }],
      });
      this.#logger.info(`Tenant ${tenantId} is gone: removed ${entityRef}`);
      return 'removed';
    }
    const entity = this.#toEntity(tcp);
    if (!entity) {
      return 'skipped';
    }
    await connection.applyMutation({
      type: 'delta',
      added: [{ entity, locationKey: this.#locationKey }],
      removed: [],
    });
    this.#logger.info(`Ingested ${stringifyEntityRef(entity)} on event`);
    return 'added';
  }

  async onEvent(params: EventParams): Promise<void> {
    if (params.topic !== HOSPITAL_TENANTS_EVENT_TOPIC) {
      return;
    }
    const parsed = changedEventSchema.safeParse(params.eventPayload);
    if (!parsed.success) {
      this.#logger.warn(
        `Ignored a malformed event on topic ${HOSPITAL_TENANTS_EVENT_TOPIC}: ${parsed.error.issues
          .map(i => `${i.path.join('.') || 'payload'} ${i.message}`)
          .join('; ')}`,
      );
      return;
    }
    await this.refreshTenant(parsed.data.tenantId);
  }

  #toEntity(tcp: TenantControlPlaneLike): Entity | undefined {
    try {
      return tenantControlPlaneToEntity(tcp);
    } catch (error) {
      this.#logger.warn(`Skipped a tenant: ${describe(error)}`);
      return undefined;
    }
  }

  #requireConnection(): EntityProviderConnection {
    if (!this.#connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }
    return this.#connection;
  }
}

function describe(error: unknown): string {
  if (error instanceof NotFoundError) {
    return `not found (${error.message})`;
  }
  return isError(error) ? `${error.name}: ${error.message}` : String(error);
}
