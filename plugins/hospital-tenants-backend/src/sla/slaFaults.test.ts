/**
 * Prometheus failing under the SLA routes: the request path never calls
 * Prometheus, so a hang, 5xx or garbage during a refresh leaves the last
 * value served (within 2 s) and marked stale once it is older than its
 * freshness window.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { tenantSlaSchema } from '@prontuario/plugin-hospital-tenants-common';
import { managementClusterReaderServiceRef } from '@prontuario/plugin-hospital-tenants-node';
import {
  PrometheusSimulator,
  startPrometheusSimulator,
} from '@prontuario/upstream-simulators';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { hospitalTenantsPlugin } from '../plugin';
import {
  eventually,
  fakePermissions,
  REFERENCE_TENANTS,
  tenantEntity,
} from '../__testUtils__/tenantApiHarness';

jest.setTimeout(120_000);

const PLATFORM = mockCredentials.user.header('user:default/platform');

type Mode = 'pass' | 'hang' | '503' | 'garbage';

describe('SLA routes when Prometheus fails', () => {
  let sim: PrometheusSimulator;
  let proxy: Server;
  let mode: Mode = 'pass';
  let hits = 0;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: {
      skipTaskRunOnStartup?: boolean;
    }): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
  };

  beforeAll(async () => {
    sim = await startPrometheusSimulator({ port: 0 });
    // a fault-injecting proxy in front of the simulator
    proxy = createServer(async (req, res) => {
      hits++;
      if (mode === 'hang') return; // never answers
      if (mode === '503') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(
          '{"status":"error","errorType":"unavailable","error":"TSDB not ready"}',
        );
        return;
      }
      if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"succ');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const upstream = await fetch(`${sim.url}${req.url}`, {
        method: req.method,
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    });
    await new Promise<void>(r => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as AddressInfo).port;
    const backend = await startTestBackend({
      features: [
        hospitalTenantsPlugin,
        createServiceFactory({
          service: managementClusterReaderServiceRef,
          deps: {},
          factory: () => ({
            identity: 'reader' as const,
            configured: false,
            client: () => {
              throw new ServiceUnavailableError('not configured');
            },
          }),
        }),
        fakePermissions().factory,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: REFERENCE_TENANTS.map(s => tenantEntity(s)),
        }),
        mockServices.rootConfig.factory({
          data: {
            hospitalTenants: {
              api: { validateResponses: true, warmupSeconds: 0 },
              sla: {
                // fresh for 2 s
                refreshSeconds: 1,
                prometheus: {
                  baseUrl: `http://127.0.0.1:${port}`,
                  timeoutMs: 3000,
                  breakerHalfOpenAfterMs: 200,
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await scheduler.triggerTask('tenant-index-refresh');
  });

  afterAll(async () => {
    await stop?.();
    proxy?.closeAllConnections();
    await new Promise(r => proxy?.close(r));
    await sim?.stop();
  });

  const getSla = () =>
    request(server)
      .get('/api/hospital-tenants/tenants/hospital-sao-joao/sla')
      .set('Authorization', PLATFORM);

  it('100 concurrent requests read the cache only: no Prometheus call', async () => {
    await scheduler.triggerTask('tenant-sla-refresh');
    expect((await getSla()).body.stale).toBe(false);
    const before = hits;
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => getSla()),
    );
    expect(responses.map(r => r.status)).toEqual(Array(100).fill(200));
    expect(hits).toBe(before);
  });

  it.each(['hang', '503', 'garbage'] as const)(
    'Prometheus %s during the refresh: the last value, stale, within 2 s',
    async fault => {
      // Prometheus healthy again: the breaker closes, a fresh value lands
      const fresh = await eventually(
        async () => {
          await scheduler.triggerTask('tenant-sla-refresh');
          return getSla();
        },
        r => r.body.stale === false,
        20_000,
      );
      const last = tenantSlaSchema.parse(fresh.body);
      expect(last.stale).toBe(false);
      mode = fault;
      const before = hits;
      await scheduler.triggerTask('tenant-sla-refresh');
      // the fault was met, not skipped by an open breaker
      expect(hits).toBeGreaterThan(before);
      await eventually(getSla, r => r.body.stale === true, 10_000);
      const started = Date.now();
      const res = await getSla();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.status).toBe(200);
      const sla = tenantSlaSchema.parse(res.body);
      expect(sla.stale).toBe(true);
      // the failed refresh replaced nothing
      expect(sla.asOf).toBe(last.asOf);
      expect(sla.alert).toBe('page');
      mode = 'pass';
    },
  );
});
