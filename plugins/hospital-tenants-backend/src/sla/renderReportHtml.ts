import { TenantSlaReport } from '@prontuario/plugin-hospital-tenants-common';

/** The report's languages; anything else falls back to pt-BR. */
export const REPORT_LOCALES = ['pt-BR', 'en'] as const;

const strings = {
  'pt-BR': {
    title: 'Relatório de SLA',
    tenant: 'Tenant',
    period: 'Período',
    timeZone: 'Fuso horário',
    verdict: 'Resultado',
    indicator: 'Indicador',
    target: 'Meta',
    measured: 'Medido',
    availability: 'Disponibilidade',
    latency: 'Latência (requisições até a meta de p95)',
    p95: 'p95 interpolado',
    imprecise: 'impreciso: nenhum bucket do histograma coincide com a meta',
    peak: 'Pico de vazão',
    capacity: 'Capacidade prometida',
    budget: 'Orçamento de erros consumido',
    breaches: 'Violações',
    noBreaches: 'Nenhuma violação no período.',
    from: 'De',
    to: 'Até',
    worst: 'Pior valor',
    unknown: 'sem dados',
    asOf: 'Dados de',
    verdicts: {
      met: 'cumprido',
      'at-risk': 'em risco',
      breached: 'violado',
      unknown: 'desconhecido',
    },
  },
  en: {
    title: 'SLA report',
    tenant: 'Tenant',
    period: 'Period',
    timeZone: 'Time zone',
    verdict: 'Verdict',
    indicator: 'Indicator',
    target: 'Target',
    measured: 'Measured',
    availability: 'Availability',
    latency: 'Latency (requests within the p95 target)',
    p95: 'interpolated p95',
    imprecise: 'imprecise: no histogram bucket equals the target',
    peak: 'Peak throughput',
    capacity: 'Promised capacity',
    budget: 'Error budget consumed',
    breaches: 'Breaches',
    noBreaches: 'No breach in the period.',
    from: 'From',
    to: 'To',
    worst: 'Worst value',
    unknown: 'no data',
    asOf: 'Data as of',
    verdicts: {
      met: 'met',
      'at-risk': 'at risk',
      breached: 'breached',
      unknown: 'unknown',
    },
  },
} as const;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A printable HTML page of the report, in its locale and time zone; every value escaped. */
export function renderReportHtml(report: TenantSlaReport): string {
  const locale = (REPORT_LOCALES as readonly string[]).includes(report.locale)
    ? (report.locale as (typeof REPORT_LOCALES)[number])
    : 'pt-BR';
  const t = strings[locale];
  const e = escapeHtml;
  const pct = (v: number | null, digits = 3) =>
    v === null
      ? t.unknown
      : new Intl.NumberFormat(locale, {
          style: 'percent',
          maximumFractionDigits: digits,
        }).format(v);
  const num = (v: number | null, unit: string) =>
    v === null
      ? t.unknown
      : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(
          v,
        )} ${unit}`;
  const when = (iso: string | null) =>
    iso === null
      ? t.unknown
      : new Intl.DateTimeFormat(locale, {
          timeZone: report.timeZone,
          dateStyle: 'short',
          timeStyle: 'short',
        }).format(new Date(iso));
  const rows: Array<[string, string, string]> = [
    [
      t.availability,
      pct(report.targets.availability),
      pct(report.availability),
    ],
    [
      t.latency,
      `${pct(0.95, 0)} ≤ ${num(report.targets.p95Seconds, 's')}`,
      `${pct(report.latencyShareWithinTarget)} (${t.p95}: ${num(
        report.p95Seconds,
        's',
      )}${report.latencyPrecision === 'imprecise' ? `; ${t.imprecise}` : ''})`,
    ],
    [
      t.peak,
      `${t.capacity}: ${num(report.targets.throughputRps, 'req/s')}`,
      `${num(report.peakRps, 'req/s')} (${when(report.peakAt)})`,
    ],
    [t.budget, '100 %', pct(report.budgetConsumed, 1)],
  ];
  const breaches = report.breaches.length
    ? `<table><thead><tr><th>${e(t.indicator)}</th><th>${e(t.from)}</th><th>${e(
        t.to,
      )}</th><th>${e(t.worst)}</th></tr></thead><tbody>${report.breaches
        .map(
          b =>
            `<tr><td>${e(
              b.indicator === 'availability' ? t.availability : t.latency,
            )}</td><td>${e(when(b.from))}</td><td>${e(when(b.to))}</td><td>${e(
              pct(b.worst),
            )}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p>${e(t.noBreaches)}</p>`;
  return `<!doctype html>
<html lang="${e(locale)}">
<head>
<meta charset="utf-8">
<title>${e(t.title)} · ${e(report.tenantId)} · ${e(report.period)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#111}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #999;padding:.4rem;text-align:left}
@media print{body{margin:0}}
</style>
</head>
<body>
<h1>${e(t.title)}</h1>
<p>${e(t.tenant)}: <strong>${e(report.tenantId)}</strong> · ${e(t.period)}: ${e(
    report.period,
  )} (${e(when(report.from))} – ${e(when(report.to))}) · ${e(t.timeZone)}: ${e(
    report.timeZone,
  )}</p>
<p>${e(t.verdict)}: <strong>${e(t.verdicts[report.verdict])}</strong></p>
<table><thead><tr><th>${e(t.indicator)}</th><th>${e(t.target)}</th><th>${e(
    t.measured,
  )}</th></tr></thead><tbody>
${rows
  .map(
    ([a, b, c]) => `<tr><td>${e(a)}</td><td>${e(b)}</td><td>${e(c)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>
<h2>${e(t.breaches)}</h2>
${breaches}
<p><small>${e(t.asOf)} ${e(when(report.asOf))}${
    report.stale ? ' (stale)' : ''
  }</small></p>
</body>
</html>
`;
}
