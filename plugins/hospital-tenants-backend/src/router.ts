import {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import {
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  isTenantId,
  TenantIsolation,
  TenantList,
  TenantListItem,
  TenantStatus,
} from '@prontuario/plugin-hospital-tenants-common';
import express from 'express';

/** Any request of the typed router. */
type Request = express.Request<any, any, any, any>;
import { registerCostRoutes } from './cost/costRoutes';
import { CostReadService } from './cost/CostReadService';
import { TenantAuthorizer, TenantFacet } from './permissions/TenantAuthorizer';
import { spec } from './schema/openapi/generated';
import { TenantDataService } from './services/TenantDataService';
import { TenantIndex, TenantRecord } from './tenants/TenantIndex';
import { jsonWith, sendJson } from './serialise/cachedJson';
import { SlaService } from './sla/SlaService';
import { addSlaRoutes } from './sla/slaRoutes';

/** Page sizes of `GET /tenants` (the spec declares the same). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Options of {@link createRouter}. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  index: TenantIndex;
  authorizer: TenantAuthorizer;
  data: TenantDataService;
  /** the cost routes, when `hospitalTenants.cost` is configured */
  cost?: CostReadService;
  /** the SLA facet (GET /tenants/{id}/sla, /sla/report) */
  sla?: SlaService;
  /** validate responses against the spec (tests) */
  validateResponses?: boolean;
}

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function encodeCursor(tenantId: string): string {
  return Buffer.from(tenantId, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const tenantId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isTenantId(tenantId)) {
    throw new InputError('Invalid cursor');
  }
  return tenantId;
}

/**
 * The tenant API. Every tenant route authorizes first (in process, from the
 * caller's cached decisions and the in-memory tenant index), and only then
 * reads the cache or the upstream; an invisible tenant is a 404 like an
 * unknown one, a visible tenant whose facet is denied a 403.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, index, authorizer, data } = options;
  const router = createValidatedOpenApiRouter<typeof spec>(spec, {
    validatorOptions: {
      validateResponses: options.validateResponses ?? false,
      // the spec declares no security schemes: authentication is the
      // httpRouter's (every route requires a user or service token)
      validateSecurity: false,
    },
  });

  // tenant data is per caller: never kept by browsers or proxies
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  });

  async function accessOf(req: Request) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const access = await authorizer.access(credentials, bearer(req));
    await index.ready();
    return access;
  }

  /** The tenant if the caller may read `facet` of it; 404 when invisible or unknown, 403 when only the facet is denied. */
  async function authorizeTenant(
    req: Request,
    tenantId: string,
    facet: TenantFacet,
  ): Promise<TenantRecord> {
    const access = await accessOf(req);
    const tenant = index.get(tenantId);
    if (!tenant || !access.sees(tenant)) {
      throw new NotFoundError(`No tenant ${tenantId}`);
    }
    if (!access.allows(facet, tenant)) {
      throw new NotAllowedError(
        `You may not read this tenant's ${
          facet === 'tenant' ? 'status and isolation' : facet
        }`,
      );
    }
    return tenant;
  }

  async function audited<T>(
    req: Request,
    eventId: string,
    meta: Record<string, string>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event: AuditorServiceEvent = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta,
    });
    // the outcome is logged without holding the response
    const logged = (outcome: Promise<void>) =>
      outcome.catch(() => {
        /* the auditor reports its own failures */
      });
    try {
      const result = await fn();
      void logged(event.success());
      return result;
    } catch (error) {
      void logged(
        event.fail({
          error: isError(error) ? error : new Error(String(error)),
        }),
      );
      throw error;
    }
  }

  router.get('/tenants', async (req, res) => {
    const limit = Number(req.query.limit ?? DEFAULT_PAGE_SIZE);
    const after = req.query.cursor
      ? decodeCursor(String(req.query.cursor))
      : undefined;
    const body = await audited(req, 'tenant-list', {}, async () => {
      const access = await accessOf(req);
      const visible = index
        .list()
        .filter(
          t => (after === undefined || t.tenantId > after) && access.sees(t),
        );
      const page = visible.slice(0, Math.min(limit, MAX_PAGE_SIZE));
      const costs = options.cost
        ? await options.cost.listCosts(
            page
              .filter(t => access.allows('cost', t))
              .map(tenant => ({ tenant, facts: index.facts(tenant.tenantId) })),
          )
        : new Map();
      const items: TenantListItem[] = await Promise.all(
        page.map(async tenant => ({
          tenantId: tenant.tenantId,
          entityRef: tenant.entityRef,
          ...(access.allows('tenant', tenant)
            ? { summary: await data.summary(tenant) }
            : {}),
          ...(costs.has(tenant.tenantId)
            ? { cost: costs.get(tenant.tenantId) }
            : {}),
          ...(options.sla && access.allows('sla', tenant)
            ? { sla: await options.sla.summary(tenant) }
            : {}),
        })),
      );
      const list: TenantList = { items };
      if (visible.length > page.length && page.length > 0) {
        list.nextCursor = encodeCursor(page[page.length - 1].tenantId);
      }
      return list;
    });
    res.json(body);
  });

  const validateResponses = options.validateResponses ?? false;

  router.get('/tenants/:tenantId/status', async (req, res) => {
    const { tenantId } = req.params;
    const { value, extra } = await audited(
      req,
      'tenant-status-read',
      { tenantId },
      async () => {
        const tenant = await authorizeTenant(req, tenantId, 'tenant');
        const { value: cached, asOf, stale } = await data.status(tenant);
        const created = cached.createdAt ? Date.parse(cached.createdAt) : NaN;
        const fields: Omit<TenantStatus, keyof typeof cached> = {
          ageSeconds: Number.isNaN(created)
            ? null
            : Math.max(0, Math.floor((Date.now() - created) / 1000)),
          asOf,
          stale,
        };
        return { value: cached, extra: fields };
      },
    );
    // the cached status is serialised once; only the per-response fields per request
    sendJson(
      res,
      validateResponses,
      (): TenantStatus => ({ ...value, ...extra }),
      () => jsonWith(value, extra),
    );
  });

  router.get('/tenants/:tenantId/isolation', async (req, res) => {
    const { tenantId } = req.params;
    const { value, extra } = await audited(
      req,
      'tenant-isolation-read',
      { tenantId },
      async () => {
        const tenant = await authorizeTenant(req, tenantId, 'tenant');
        const { value: cached, asOf, stale } = await data.isolation(tenant);
        const fields: Omit<TenantIsolation, keyof typeof cached> = {
          asOf,
          stale,
        };
        return { value: cached, extra: fields };
      },
    );
    // the evidence (the large part) is serialised once per cached value
    sendJson(
      res,
      validateResponses,
      (): TenantIsolation => ({ ...value, ...extra }),
      () => jsonWith(value, extra),
    );
  });

  registerCostRoutes(router, {
    index,
    auditor,
    validateResponses,
    cost: options.cost,
    accessOf,
    authorizeTenant,
  });

  if (options.sla) {
    addSlaRoutes(router, {
      sla: options.sla,
      authorizeTenant,
      audited,
    });
  }

  return router;
}
