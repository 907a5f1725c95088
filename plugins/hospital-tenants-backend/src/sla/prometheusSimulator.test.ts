/**
 * The local Prometheus simulator (`yarn start`) through the plugin's
 * client: the default queries give the reference tenants' verdicts, any
 * other query is `bad_data`.
 */
import {
  PrometheusSimulator,
  startPrometheusSimulator,
} from '@prontuario/upstream-simulators';
import { InputError } from '@backstage/errors';
import { createUpstreamPolicy } from '../upstream/resilience';
import { PrometheusClient } from './PrometheusClient';
import { DEFAULT_SLA_QUERIES } from './queries';
import { readTenantSla } from './readTenantSla';
import { readMonthReport } from './readMonthReport';
import { DEFAULT_SLA_TARGETS } from './targets';

let sim: PrometheusSimulator;
let client: PrometheusClient;
const options = () => ({
  client,
  templates: DEFAULT_SLA_QUERIES,
  window: '30d',
});

beforeAll(async () => {
  sim = await startPrometheusSimulator({ port: 0 });
  client = new PrometheusClient(
    { baseUrl: sim.url },
    createUpstreamPolicy({ name: 'Prometheus', timeoutMs: 10_000 }),
  );
});
afterAll(() => sim?.stop());

describe('the Prometheus simulator', () => {
  it('Santa Maria and Real Hospital Português meet every target', async () => {
    for (const tenant of ['hospital-santa-maria', 'real-hospital-portugues']) {
      const sla = await readTenantSla(
        options(),
        tenant,
        DEFAULT_SLA_TARGETS,
        new Date(),
      );
      expect(sla).toMatchObject({
        verdict: 'met',
        alert: 'ok',
        latency: { precision: 'exact', verdict: 'met' },
      });
      expect(sla.throughput.peakRps).toBeGreaterThan(0);
    }
  });

  it('São João burns its budget: the fast-burn alert fires', async () => {
    const sla = await readTenantSla(
      options(),
      'hospital-sao-joao',
      DEFAULT_SLA_TARGETS,
      new Date(),
    );
    expect(sla.alert).toBe('page');
    expect(sla.burnRates[0].firing).toBe(true);
    expect(['at-risk', 'breached']).toContain(sla.verdict);
  });

  it('an unknown tenant has no series: unknown, not 100 %', async () => {
    const sla = await readTenantSla(
      options(),
      'hospital-nowhere',
      DEFAULT_SLA_TARGETS,
      new Date(),
    );
    expect(sla.verdict).toBe('unknown');
    expect(sla.availability.value).toBeNull();
  });

  it('serves the monthly report', async () => {
    const now = new Date();
    const report = await readMonthReport(
      options(),
      'hospital-sao-joao',
      DEFAULT_SLA_TARGETS,
      now.toISOString().slice(0, 7),
      'pt-BR',
      'UTC',
      now,
    );
    expect(report.availability).not.toBeNull();
    expect(report.breaches.some(b => b.indicator === 'availability')).toBe(
      now.getUTCDate() > 1 || now.getUTCHours() >= 2,
    );
  });

  it('answers bad_data (400) for any query but the defaults', async () => {
    const refused = sim.counts.refused;
    await expect(client.query('up', new Date())).rejects.toThrow(InputError);
    await expect(
      client.query(
        'sum(increase(http_server_request_duration_seconds_count{tenant=~".+"}[30d]))',
        new Date(),
      ),
    ).rejects.toThrow(/only the default SLA queries/);
    expect(sim.counts.refused).toBe(refused + 2);
  });
});
