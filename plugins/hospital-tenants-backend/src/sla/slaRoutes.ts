import { InputError } from '@backstage/errors';
import {
  SLA_HISTORY_DEFAULT_MONTHS,
  SLA_HISTORY_MAX_MONTHS,
  SLA_REPORT_PERIOD_PATTERN,
  TenantSla,
  TenantSlaHistory,
  TenantSlaReport,
} from '@prontuario/plugin-hospital-tenants-common';
import express from 'express';
import { TenantFacet } from '../permissions/TenantAuthorizer';
import { TenantRecord } from '../tenants/TenantIndex';
import { renderReportHtml } from './renderReportHtml';
import { SlaService } from './SlaService';

type Request = express.Request<any, any, any, any>;

/** What the SLA routes borrow from the tenant API's router. */
export interface SlaRouteHelpers {
  sla: SlaService;
  authorizeTenant(
    req: Request,
    tenantId: string,
    facet: TenantFacet,
  ): Promise<TenantRecord>;
  audited<T>(
    req: Request,
    eventId: string,
    meta: Record<string, string>,
    fn: () => Promise<T>,
  ): Promise<T>;
}

/**
 * `GET /tenants/{tenantId}/sla` (cache only),
 * `GET /tenants/{tenantId}/sla/report?period=YYYY-MM` (JSON, or a printable
 * HTML page for `Accept: text/html`) and
 * `GET /tenants/{tenantId}/sla/history?months=N` (the monthly reports'
 * figures, the running month first), all behind
 * `hospital-tenants.sla.read`, authorized before any cache read and audited.
 */
export function addSlaRoutes(
  router: express.Router,
  { sla, authorizeTenant, audited }: SlaRouteHelpers,
) {
  router.get('/tenants/:tenantId/sla', async (req, res) => {
    const { tenantId } = req.params;
    const body = await audited(
      req,
      'tenant-sla-read',
      { tenantId },
      async () => {
        const tenant = await authorizeTenant(req, tenantId, 'sla');
        const { value, asOf, stale } = await sla.get(tenant);
        const out: TenantSla = {
          tenantId: tenant.tenantId,
          entityRef: tenant.entityRef,
          ...value,
          asOf,
          stale,
        };
        return out;
      },
    );
    res.json(body);
  });

  router.get('/tenants/:tenantId/sla/report', async (req, res) => {
    const { tenantId } = req.params;
    const period = String(req.query.period ?? '');
    const body = await audited(
      req,
      'tenant-sla-report-read',
      { tenantId, period },
      async () => {
        const tenant = await authorizeTenant(req, tenantId, 'sla');
        if (!SLA_REPORT_PERIOD_PATTERN.test(period)) {
          throw new InputError('period must be a month, YYYY-MM');
        }
        const { value, asOf, stale } = await sla.report(tenant, period);
        const out: TenantSlaReport = {
          tenantId: tenant.tenantId,
          entityRef: tenant.entityRef,
          ...value,
          asOf,
          stale,
        };
        return out;
      },
    );
    if (req.accepts(['application/json', 'text/html']) === 'text/html') {
      res
        .type('text/html; charset=utf-8')
        .set(
          'Content-Security-Policy',
          "default-src 'none'; style-src 'unsafe-inline'",
        )
        .send(renderReportHtml(body));
      return;
    }
    res.json(body);
  });
  router.get('/tenants/:tenantId/sla/history', async (req, res) => {
    const { tenantId } = req.params;
    const months = Number(req.query.months ?? SLA_HISTORY_DEFAULT_MONTHS);
    const body = await audited(
      req,
      'tenant-sla-history-read',
      { tenantId, months: String(months) },
      async () => {
        const tenant = await authorizeTenant(req, tenantId, 'sla');
        // the spec bounds it too; this keeps the route safe without the validator
        if (
          !Number.isInteger(months) ||
          months < 1 ||
          months > SLA_HISTORY_MAX_MONTHS
        ) {
          throw new InputError(
            `months must be a whole number from 1 to ${SLA_HISTORY_MAX_MONTHS}`,
          );
        }
        const { value, asOf, stale } = await sla.history(tenant, months);
        const out: TenantSlaHistory = {
          tenantId: tenant.tenantId,
          entityRef: tenant.entityRef,
          ...value,
          asOf,
          stale,
        };
        return out;
      },
    );
    res.json(body);
  });
}
