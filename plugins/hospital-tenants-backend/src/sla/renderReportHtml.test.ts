import { TenantSlaReport } from '@prontuario/plugin-hospital-tenants-common';
import { escapeHtml, renderReportHtml } from './renderReportHtml';

const report: TenantSlaReport = {
  tenantId: 'hospital-sao-joao',
  entityRef: 'resource:default/hospital-sao-joao',
  period: '2026-11',
  locale: 'pt-BR',
  timeZone: 'America/Recife',
  from: '2026-11-01T03:00:00.000Z',
  to: '2026-11-30T04:00:00.000Z',
  targets: { p95Seconds: 2, availability: 0.999, throughputRps: 1000 },
  availability: 0.99931,
  latencyShareWithinTarget: 0.93,
  latencyPrecision: 'exact',
  p95Seconds: 2.8,
  peakRps: 15.25,
  peakAt: '2026-11-29T15:00:00.000Z',
  budgetConsumed: 0.69,
  verdict: 'breached',
  breaches: [
    {
      from: '2026-11-30T01:00:00.000Z',
      to: '2026-11-30T04:00:00.000Z',
      indicator: 'availability',
      worst: 0.97,
    },
  ],
  asOf: '2026-11-30T04:00:00.000Z',
  stale: false,
};

describe('renderReportHtml', () => {
  it("renders in the hospital's language and time zone", () => {
    const html = renderReportHtml(report);
    expect(html).toContain('<html lang="pt-BR">');
    expect(html).toContain('Relatório de SLA');
    expect(html).toContain('violado');
    expect(html).toContain('99,931');
    // 01:00Z is 22:00 of the 29th in Recife (UTC-3)
    expect(html).toContain('29/11/2026, 22:00');
    const en = renderReportHtml({ ...report, locale: 'en' });
    expect(en).toContain('SLA report');
    expect(en).toContain('99.931');
    expect(en).toContain('breached');
  });

  it('escapes every value', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;',
    );
    const html = renderReportHtml({
      ...report,
      tenantId: '<img src=x onerror=alert(1)>',
      period: '"><script>alert(1)</script>',
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('falls back to Portuguese for an unknown language', () => {
    expect(renderReportHtml({ ...report, locale: 'xx' })).toContain(
      '<html lang="pt-BR">',
    );
  });
});
