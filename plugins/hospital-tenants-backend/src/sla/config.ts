import { RootConfigService } from '@backstage/backend-plugin-api';
import { PrometheusConnection } from './PrometheusClient';
import {
  DEFAULT_SLA_QUERIES,
  SlaQueryTemplates,
  validateTemplates,
} from './queries';

/** `hospitalTenants.sla` (see config.d.ts). */
export interface SlaSettings {
  /** undefined when no Prometheus is configured: the SLA routes answer 503 */
  prometheus?: PrometheusConnection;
  /** the SLO window, e.g. `30d` */
  window: string;
  refreshSeconds: number;
  freshMs: number;
  timeoutMs: number;
  breakerHalfOpenAfterMs: number;
  templates: SlaQueryTemplates;
  defaultLocale: string;
  defaultTimeZone: string;
}

/** Reads `hospitalTenants.sla` with its defaults; refuses a template with an unknown placeholder. */
export function readSlaSettings(config: RootConfigService): SlaSettings {
  const sla = config.getOptionalConfig('hospitalTenants.sla');
  const baseUrl = sla?.getOptionalString('prometheus.baseUrl');
  const windowDays = sla?.getOptionalNumber('windowDays') ?? 30;
  const refreshSeconds = sla?.getOptionalNumber('refreshSeconds') ?? 300;
  const templates: SlaQueryTemplates = { ...DEFAULT_SLA_QUERIES };
  for (const key of [
    'bad',
    'total',
    'buckets',
    'rate',
    'capacityEvidence',
  ] as const) {
    const value = sla?.getOptionalString(`queries.${key}`);
    if (value) templates[key] = value;
  }
  validateTemplates(templates);
  return {
    prometheus: baseUrl
      ? {
          baseUrl,
          token: sla?.getOptionalString('prometheus.token'),
          tokenFile: sla?.getOptionalString('prometheus.tokenFile'),
        }
      : undefined,
    window: `${Math.max(1, Math.min(90, Math.round(windowDays)))}d`,
    refreshSeconds,
    freshMs: 2 * refreshSeconds * 1000,
    timeoutMs: sla?.getOptionalNumber('prometheus.timeoutMs') ?? 20_000,
    breakerHalfOpenAfterMs:
      sla?.getOptionalNumber('prometheus.breakerHalfOpenAfterMs') ?? 30_000,
    templates,
    defaultLocale: sla?.getOptionalString('defaultLocale') ?? 'pt-BR',
    defaultTimeZone:
      sla?.getOptionalString('defaultTimeZone') ?? 'America/Sao_Paulo',
  };
}
