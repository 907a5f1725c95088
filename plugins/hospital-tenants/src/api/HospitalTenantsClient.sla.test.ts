/**
 * @jest-environment node
 */
import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { HospitalTenantsClient } from './HospitalTenantsClient';

const base = 'http://backend.test/api/hospital-tenants';
const server = setupServer();

const sla = {
  tenantId: 'hospital-sao-joao',
  entityRef: 'resource:default/hospital-sao-joao',
  window: '30d',
  targets: { p95Seconds: 2, availability: 0.999, throughputRps: 1000 },
  verdict: 'at-risk',
  availability: {
    value: 0.9995,
    target: 0.999,
    badRequests: 5,
    totalRequests: 10000,
    errorBudgetLeft: 0.5,
    verdict: 'at-risk',
  },
  burnRates: [],
  alert: 'ticket',
  latency: {
    shareWithinTarget: 0.99,
    bucketSeconds: 2,
    precision: 'exact',
    p95Seconds: 0.8,
    targetSeconds: 2,
    verdict: 'met',
  },
  throughput: {
    peakRps: 12,
    peakAt: '2026-11-30T00:00:00.000Z',
    targetRps: 1000,
    availabilityAtPeak: 1,
    latencyShareAtPeak: 1,
    heldAtPeak: true,
    capacity: 'not-measured',
    evidenceRps: null,
  },
  asOf: '2026-11-30T00:01:00.000Z',
  stale: false,
};

describe('HospitalTenantsClient: SLA', () => {
  registerMswTestHooks(server);
  const client = new HospitalTenantsClient({
    discoveryApi: { getBaseUrl: async () => base },
    fetchApi: new MockFetchApi(),
  });

  it('reads and validates the SLA', async () => {
    server.use(
      http.get(`${base}/tenants/hospital-sao-joao/sla`, () =>
        HttpResponse.json(sla),
      ),
    );
    await expect(client.getTenantSla('hospital-sao-joao')).resolves.toEqual(
      sla,
    );
  });

  it('refuses an SLA payload of the wrong shape', async () => {
    server.use(
      http.get(`${base}/tenants/hospital-sao-joao/sla`, () =>
        HttpResponse.json({ ...sla, verdict: 'fine' }),
      ),
    );
    await expect(client.getTenantSla('hospital-sao-joao')).rejects.toThrow(
      /unexpected payload/,
    );
  });

  it('asks for the report as HTML and refuses a malformed period before any call', async () => {
    let accept: string | null = null;
    server.use(
      http.get(
        `${base}/tenants/hospital-sao-joao/sla/report`,
        ({ request }) => {
          accept = request.headers.get('accept');
          expect(new URL(request.url).searchParams.get('period')).toBe(
            '2026-11',
          );
          return new HttpResponse('<html>report</html>', {
            headers: { 'content-type': 'text/html' },
          });
        },
      ),
    );
    await expect(
      client.getTenantSlaReportHtml('hospital-sao-joao', '2026-11'),
    ).resolves.toBe('<html>report</html>');
    expect(accept).toBe('text/html');
    await expect(
      client.getTenantSlaReportHtml('hospital-sao-joao', '2026-11&x=1'),
    ).rejects.toThrow(/not a month/);
  });

  it('reads the history, asks for the months wanted, and refuses a bad count before any call', async () => {
    const history = {
      tenantId: 'hospital-sao-joao',
      entityRef: 'resource:default/hospital-sao-joao',
      timeZone: 'America/Sao_Paulo',
      targets: sla.targets,
      months: [
        {
          period: '2026-11',
          from: '2026-11-01T03:00:00.000Z',
          to: '2026-11-30T00:00:00.000Z',
          availability: 0.998,
          latencyShareWithinTarget: 0.97,
          budgetConsumed: 2,
          verdict: 'breached',
          breaches: 3,
          asOf: '2026-11-30T00:01:00.000Z',
          stale: false,
        },
      ],
      asOf: '2026-11-30T00:01:00.000Z',
      stale: false,
    };
    const asked: Array<string | null> = [];
    server.use(
      http.get(
        `${base}/tenants/hospital-sao-joao/sla/history`,
        ({ request }) => {
          asked.push(new URL(request.url).searchParams.get('months'));
          return HttpResponse.json(history);
        },
      ),
    );
    await expect(
      client.getTenantSlaHistory('hospital-sao-joao', 3),
    ).resolves.toEqual(history);
    await client.getTenantSlaHistory('hospital-sao-joao');
    expect(asked).toEqual(['3', null]);
    await expect(
      client.getTenantSlaHistory('hospital-sao-joao', 13),
    ).rejects.toThrow(/from 1 to 12/);
    server.use(
      http.get(`${base}/tenants/hospital-sao-joao/sla/history`, () =>
        HttpResponse.json({ ...history, months: [{ period: '2026-11' }] }),
      ),
    );
    await expect(
      client.getTenantSlaHistory('hospital-sao-joao'),
    ).rejects.toThrow(/unexpected payload/);
  });
});
