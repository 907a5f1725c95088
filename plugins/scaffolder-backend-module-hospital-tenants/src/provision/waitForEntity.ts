import { AuthService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  HOSPITAL_TENANTS_EVENT_TOPIC,
  HospitalTenantChangedEvent,
  tenantEntityRef,
} from '@prontuario/plugin-hospital-tenants-common';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';
import { ProvisionRun } from './context';

/** What {@link announceAndWaitForEntity} needs besides the run. */
export interface EntityWaitDeps {
  catalog: CatalogService;
  events: EventsService;
  auth: AuthService;
}

/**
 * Step (checkpoint `<attempt>.entity`): announces the tenant on the events
 * service (the catalog entity provider ingests it at once) and waits until
 * its entity exists, with the action's own service credentials (the user's
 * token may have expired by now), within `entityTimeout`.
 */
export async function announceAndWaitForEntity(
  run: ProvisionRun,
  deps: EntityWaitDeps,
): Promise<{ entityRef: string }> {
  return run.ctx.checkpoint<{ entityRef: string }>({
    key: `${run.attemptKey}.entity`,
    fn: async () => {
      await waitForEntity(run, deps);
      return { entityRef: tenantEntityRef(run.slug) };
    },
  });
}

async function waitForEntity(run: ProvisionRun, deps: EntityWaitDeps) {
  const { ctx, slug, settings } = run;
  const entityRef = tenantEntityRef(slug);
  const payload: HospitalTenantChangedEvent = {
    type: 'tenant.changed',
    tenantId: slug,
  };
  const publish = () =>
    deps.events.publish({
      topic: HOSPITAL_TENANTS_EVENT_TOPIC,
      eventPayload: payload,
    });
  await publish();
  ctx.logger.info(
    `Announced tenant ${slug}; waiting for ${entityRef} in the catalog`,
  );
  let lastPublish = Date.now();
  await pollUntil(
    async () => {
      const credentials = await deps.auth.getOwnServiceCredentials();
      const entity = await deps.catalog
        .getEntityByRef(entityRef, { credentials })
        .catch(() => undefined);
      if (entity) return entity;
      if (Date.now() - lastPublish > 15_000) {
        await publish();
        lastPublish = Date.now();
      }
      return undefined;
    },
    {
      timeoutMs: settings.entityTimeoutMs,
      intervalMs: settings.pollIntervalMs,
      signal: ctx.signal,
      onTimeout: () => {
        throw new ServiceUnavailableError(
          `The catalog entity ${entityRef} did not appear within ${Math.round(
            settings.entityTimeoutMs / 1000,
          )}s; is the hospital-tenants entity provider installed?`,
        );
      },
    },
  );
  ctx.logger.info(`${entityRef} is in the catalog`);
}
