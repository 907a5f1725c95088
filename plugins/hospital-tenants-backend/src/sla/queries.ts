import { InputError } from '@backstage/errors';
import {
  DEFAULT_SLA_QUERIES as COMMON_DEFAULT_SLA_QUERIES,
  isTenantId,
} from '@prontuario/plugin-hospital-tenants-common';

/** The windows the indicators use: the SRE workbook's alert windows and the SLO window. */
export const BURN_WINDOWS = ['5m', '30m', '1h', '6h', '3d'] as const;

/** One PromQL template per raw figure; see the README's "SLA indicators". */
export interface SlaQueryTemplates {
  /** bad (5xx) requests over `{{window}}` */
  bad: string;
  /** all requests over `{{window}}` */
  total: string;
  /** cumulative histogram buckets over `{{window}}`, one series per `le` */
  buckets: string;
  /** the request rate (req/s) over `{{window}}` (5m), ranged over the SLO window for the peak */
  rate: string;
  /** optional evidence of capacity: a load-test or saturation query answering the served req/s */
  capacityEvidence?: string;
}

/**
 * Documented defaults over the OpenTelemetry HTTP server metrics (README
 * "SLA indicators"); shared with the local Prometheus simulator.
 */
export const DEFAULT_SLA_QUERIES: SlaQueryTemplates = {
  ...COMMON_DEFAULT_SLA_QUERIES,
};

const WINDOW = /^[1-9][0-9]{0,7}[smhd]$/;
const PLACEHOLDER = /\{\{\s*([a-z]+)\s*\}\}/g;

/**
 * Fills a template. `tenant` must be a tenant id (the caller passes the
 * validated tenant record's id, never request input) and `window` a
 * Prometheus duration; an unknown placeholder is refused.
 */
export function renderQuery(
  template: string,
  values: { tenant: string; window: string },
): string {
  if (!isTenantId(values.tenant) || !/^[a-z0-9-]+$/.test(values.tenant)) {
    throw new InputError(`Not a tenant id: ${JSON.stringify(values.tenant)}`);
  }
  if (!WINDOW.test(values.window)) {
    throw new InputError(`Not a window: ${JSON.stringify(values.window)}`);
  }
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    if (name === 'tenant') return values.tenant;
    if (name === 'window') return values.window;
    throw new InputError(`Unknown placeholder {{${name}}} in an SLA query`);
  });
}

/** Checks every template once at start-up (unknown placeholders, missing tenant). */
export function validateTemplates(templates: SlaQueryTemplates): void {
  for (const [key, template] of Object.entries(templates)) {
    if (template === undefined) continue;
    if (key !== 'capacityEvidence' && !template.includes('{{tenant}}')) {
      throw new InputError(
        `hospitalTenants.sla.queries.${key} must select the tenant with {{tenant}}`,
      );
    }
    renderQuery(template, { tenant: 'x', window: '1h' });
  }
}
