import {
  AuditorService,
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';
import { isError, ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import { TenantAccess, TenantFacet } from '../permissions/TenantAuthorizer';
import { TenantIndex, TenantRecord } from '../tenants/TenantIndex';
import { cachedJson, sendJson } from '../serialise/cachedJson';
import { CostReadService, summaryCsv } from './CostReadService';

type Request = express.Request<any, any, any, any>;

/** What the tenant router lends the cost routes. */
export interface CostRouteContext {
  index: TenantIndex;
  auditor: AuditorService;
  /** validate responses against the spec (tests): bodies go through `res.json` */
  validateResponses: boolean;
  /** undefined when `hospitalTenants.cost` is not configured: 503 after authorization */
  cost?: CostReadService;
  accessOf(req: Request): Promise<TenantAccess>;
  authorizeTenant(
    req: Request,
    tenantId: string,
    facet: TenantFacet,
  ): Promise<TenantRecord>;
}

async function audited<T>(
  auditor: AuditorService,
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
  try {
    const result = await fn();
    await event.success();
    return result;
  } catch (error) {
    await event.fail({
      error: isError(error) ? error : new Error(String(error)),
    });
    throw error;
  }
}

function configured(cost: CostReadService | undefined): CostReadService {
  if (!cost) {
    throw new ServiceUnavailableError(
      'Tenant cost is not configured on this portal (hospitalTenants.cost)',
    );
  }
  return cost;
}

/**
 * `GET /tenants/{id}/cost` and `GET /costs/summary`: authorized first
 * (`hospital-tenants.cost.read`), then read from the snapshots only.
 */
export function registerCostRoutes(
  router: express.Router,
  ctx: CostRouteContext,
) {
  router.get('/tenants/:tenantId/cost', async (req, res) => {
    const { tenantId } = req.params;
    const body = await audited(
      ctx.auditor,
      req,
      'tenant-cost-read',
      { tenantId },
      async () => {
        const tenant = await ctx.authorizeTenant(req, tenantId, 'cost');
        return configured(ctx.cost).tenantCost(
          tenant,
          ctx.index.facts(tenant.tenantId),
        );
      },
    );
    // the memoised payload is serialised once
    sendJson(
      res,
      ctx.validateResponses,
      () => body,
      () => cachedJson(body),
    );
  });

  router.get('/costs/summary', async (req, res) => {
    const period =
      typeof req.query.period === 'string'
        ? req.query.period
        : ctx.cost?.defaultPeriod() ?? '';
    const wantsCsv =
      req.accepts(['application/json', 'text/csv']) === 'text/csv';
    const body = await audited(
      ctx.auditor,
      req,
      'cost-summary-read',
      { period, format: wantsCsv ? 'csv' : 'json' },
      async () => {
        const access = await ctx.accessOf(req);
        // only the tenants whose cost the caller may read; nothing else is summed
        const tenants = ctx.index
          .list()
          .filter(t => access.allows('cost', t))
          .map(tenant => ({ tenant, facts: ctx.index.facts(tenant.tenantId) }));
        return configured(ctx.cost).summary(tenants, period);
      },
    );
    if (wantsCsv) {
      const fromLanguage =
        req.acceptsLanguages('pt-BR', 'pt', 'en') === 'en' ? 'en' : 'pt-BR';
      const dialect =
        req.query.dialect === 'en' || req.query.dialect === 'pt-BR'
          ? req.query.dialect
          : fromLanguage;
      res.set('Content-Type', 'text/csv; charset=utf-8');
      res.set(
        'Content-Disposition',
        `attachment; filename="custos-${body.period}-${dialect}.csv"`,
      );
      res.send(summaryCsv(body, dialect));
      return;
    }
    sendJson(
      res,
      ctx.validateResponses,
      () => body,
      () => cachedJson(body),
    );
  });
}
