/**
 * The client on Prometheus' real wire format (EXTERNAL-APIS §4): special
 * floats as strings, empty results, scalars, error bodies, non-JSON
 * proxies, and credentials, served by a plain HTTP server.
 */
import {
  AuthenticationError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUpstreamPolicy } from '../upstream/resilience';
import { computeIndicators } from './indicators';
import { PrometheusClient } from './PrometheusClient';
import { DEFAULT_SLA_TARGETS } from './targets';

type Handler = (
  body: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let calls = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    calls++;
    let raw = '';
    req.on('data', c => (raw += c));
    req.on('end', () => handler(new URLSearchParams(raw), req, res));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise(r => server.close(r)));
beforeEach(() => {
  calls = 0;
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const vector = (result: unknown[]) => ({
  status: 'success',
  data: { resultType: 'vector', result },
});
const client = (token?: string, tokenFile?: string) =>
  new PrometheusClient(
    { baseUrl, token, tokenFile },
    createUpstreamPolicy({
      name: 'Prometheus',
      timeoutMs: 2000,
      maxAttempts: 2,
    }),
  );
const AT = new Date('2026-10-15T12:00:00Z');

describe('PrometheusClient on the real wire format', () => {
  it('posts the query with a fixed time and reads NaN and +Inf strings', async () => {
    let seen: URLSearchParams | undefined;
    handler = (body, _req, res) => {
      seen = body;
      json(
        res,
        200,
        vector([
          { metric: { le: '2' }, value: [1792065600, 'NaN'] },
          { metric: { le: '+Inf' }, value: [1792065600, '+Inf'] },
          { metric: { le: '5' }, value: [1792065600, '-Inf'] },
          { metric: { le: '1' }, value: [1792065600, '12.5'] },
        ]),
      );
    };
    const samples = await client().query('up', AT);
    expect(seen?.get('time')).toBe('1792065600');
    expect(seen?.get('query')).toBe('up');
    expect(samples.map(s => s.value)).toEqual([NaN, Infinity, -Infinity, 12.5]);
  });

  it('reads a scalar and an empty result', async () => {
    handler = (_b, _r, res) =>
      json(res, 200, {
        status: 'success',
        data: { resultType: 'scalar', result: [1792065600, '0.5'] },
      });
    expect(await client().query('vector(1)', AT)).toEqual([
      { metric: {}, value: 0.5 },
    ]);
    handler = (_b, _r, res) => json(res, 200, vector([]));
    expect(await client().query('up', AT)).toEqual([]);
  });

  it('NaN totals (0/0) and empty results mean no traffic, never 100 %', () => {
    const raw = {
      window: '30d',
      bad: { '30d': NaN },
      total: { '30d': NaN },
      buckets: [{ le: Infinity, count: NaN }],
      peak: { rps: NaN, at: null, bad: null, total: null, buckets: [] },
      capacityEvidenceRps: null,
    };
    const sla = computeIndicators(raw, DEFAULT_SLA_TARGETS);
    expect(sla.availability.value).toBeNull();
    expect(sla.latency.shareWithinTarget).toBeNull();
    expect(sla.throughput.peakRps).toBeNull();
    expect(sla.verdict).toBe('unknown');
    // traffic without a single 5xx series: 100 % is then true
    const clean = computeIndicators(
      { ...raw, bad: { '30d': null }, total: { '30d': 1000 } },
      DEFAULT_SLA_TARGETS,
    );
    expect(clean.availability.value).toBe(1);
  });

  it('bad_data (400) and execution (422) are InputErrors, not retried', async () => {
    handler = (_b, _r, res) =>
      json(res, 400, {
        status: 'error',
        errorType: 'bad_data',
        error:
          'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
      });
    await expect(client().query('sum(', AT)).rejects.toThrow(InputError);
    expect(calls).toBe(1);
    handler = (_b, _r, res) =>
      json(res, 422, {
        status: 'error',
        errorType: 'execution',
        error: 'query processing would load too many samples into memory',
      });
    await expect(client().query('up', AT)).rejects.toThrow(
      /refused the query \(execution: query processing would load too many samples/,
    );
  });

  it('timeout (503) is a ServiceUnavailableError after the retry', async () => {
    calls = 0;
    handler = (_b, _r, res) =>
      json(res, 503, {
        status: 'error',
        errorType: 'timeout',
        error: 'query timed out in expression evaluation',
      });
    const error = await client()
      .query('up', AT)
      .catch(e => e);
    expect(ServiceUnavailableError.is(error)).toBe(true);
    expect(error.message).toMatch(/query timed out in expression evaluation/);
    expect(calls).toBe(2);
  });

  it('a proxy error page without JSON and an unexpected shape are clear 503s', async () => {
    handler = (_b, _r, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    };
    await expect(client().query('up', AT)).rejects.toThrow(
      /without a JSON body/,
    );
    handler = (_b, _r, res) =>
      json(res, 200, {
        status: 'success',
        data: { resultType: 'matrix', result: [] },
      });
    await expect(client().query('up', AT)).rejects.toThrow(
      /other than a vector or scalar/,
    );
  });

  it('sends the token, re-reading a token file on each call; 401 is an AuthenticationError', async () => {
    const seen: Array<string | undefined> = [];
    handler = (_b, req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization === 'Bearer revoked') {
        json(res, 401, {
          status: 'error',
          errorType: 'unauthorized',
          error: 'no',
        });
        return;
      }
      json(res, 200, vector([]));
    };
    const dir = await mkdtemp(join(tmpdir(), 'prom-token-'));
    try {
      const file = join(dir, 'token');
      await writeFile(file, 'first\n');
      const c = client(undefined, file);
      await c.query('up', AT);
      await writeFile(file, 'second\n');
      await c.query('up', AT);
      await client('static').query('up', AT);
      expect(seen).toEqual(['Bearer first', 'Bearer second', 'Bearer static']);
      await expect(client('revoked').query('up', AT)).rejects.toThrow(
        AuthenticationError,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
