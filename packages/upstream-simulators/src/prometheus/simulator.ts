import { DEFAULT_SLA_QUERIES } from '@prontuario/plugin-hospital-tenants-common';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  referenceTraffic,
  SIMULATED_BUCKETS,
  SimulatedTenantTraffic,
} from './profiles';

/**
 * Options of {@link startPrometheusSimulator}.
 *
 * @public
 */
export interface PrometheusSimulatorOptions {
  /** 0 for a free port */
  port: number;
  host?: string;
  /** the traffic (default: the reference tenants) */
  traffic?: SimulatedTenantTraffic[];
}

/**
 * A running Prometheus simulator.
 *
 * @public
 */
export interface PrometheusSimulator {
  url: string;
  /** queries answered, and queries refused with `bad_data` */
  readonly counts: { answered: number; refused: number };
  stop(): Promise<void>;
}

type Kind = keyof typeof DEFAULT_SLA_QUERIES;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regex per default query, capturing the tenant and the window. */
const MATCHERS = (Object.keys(DEFAULT_SLA_QUERIES) as Kind[]).map(kind => {
  const template = DEFAULT_SLA_QUERIES[kind];
  const order: string[] = [];
  const source = template
    .split(/(\{\{tenant\}\}|\{\{window\}\})/)
    .map(part => {
      if (part === '{{tenant}}') {
        order.push('tenant');
        return '([a-z0-9-]+)';
      }
      if (part === '{{window}}') {
        order.push('window');
        return '([1-9][0-9]*)([smhd])';
      }
      return escape(part);
    })
    .join('');
  return { kind, regex: new RegExp(`^${source}$`), order };
});

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const STEP = 60;

/** Parses a query into one of the default queries, or undefined. */
function match(query: string) {
  const compact = query.trim();
  for (const m of MATCHERS) {
    const found = m.regex.exec(compact);
    if (found) {
      return {
        kind: m.kind,
        tenant: found[1],
        windowSeconds: Number(found[2]) * UNIT[found[3]],
      };
    }
  }
  return undefined;
}

/** Requests over (t - w, t] in one-minute slices: all, 5xx, and within each bucket bound. */
function counts(traffic: SimulatedTenantTraffic, t: number, w: number) {
  let total = 0;
  let bad = 0;
  for (let s = t - w + STEP; s <= t + 1e-9; s += STEP) {
    const n = traffic.rps(s) * Math.min(STEP, w);
    total += n;
    bad += n * traffic.errorShare(s);
  }
  return { total, bad };
}

/** Prometheus formats floats as strings; special values as `NaN`, `+Inf`, `-Inf`. */
function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function evaluate(
  traffic: SimulatedTenantTraffic[],
  query: string,
  t: number,
): Array<{ metric: Record<string, string>; value: number }> | undefined {
  const m = match(query);
  if (!m) return undefined;
  const tenant = traffic.find(x => x.tenant === m.tenant);
  // no series for the tenant: Prometheus answers an empty vector
  if (!tenant) return [];
  const { total, bad } = counts(tenant, t, m.windowSeconds);
  switch (m.kind) {
    case 'bad':
      return [{ metric: {}, value: bad }];
    case 'total':
      return [{ metric: {}, value: total }];
    case 'rate':
      return [{ metric: {}, value: total / m.windowSeconds }];
    case 'buckets':
      return SIMULATED_BUCKETS.map((le, i) => ({
        metric: { le: le === Infinity ? '+Inf' : String(le) },
        value: total * tenant.latency[i],
      }));
    default:
      return undefined;
  }
}

function parseTime(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (Number.isFinite(n)) return n;
  const d = Date.parse(raw);
  return Number.isNaN(d) ? undefined : d / 1000;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const badData = (res: ServerResponse, error: string) =>
  send(res, 400, { status: 'error', errorType: 'bad_data', error });

async function readParams(req: IncomingMessage, url: URL) {
  const params = new URLSearchParams(url.searchParams);
  if (req.method === 'POST') {
    let raw = '';
    for await (const chunk of req) {
      raw += chunk;
      if (raw.length > 1_000_000) break;
    }
    new URLSearchParams(raw).forEach((v, k) => params.set(k, v));
  }
  return params;
}

/**
 * A Prometheus stand-in for `yarn start`: `/api/v1/query` and
 * `/api/v1/query_range` in the real wire format (values as strings), that
 * answers only the default SLA queries of `-common` and `bad_data` for any
 * other, over simulated traffic of the reference tenants.
 *
 * @public
 */
export async function startPrometheusSimulator(
  options: PrometheusSimulatorOptions,
): Promise<PrometheusSimulator> {
  const startedAt = Date.now() / 1000;
  const traffic = options.traffic ?? referenceTraffic(startedAt);
  const countsOut = { answered: 0, refused: 0 };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handle = async () => {
      if (url.pathname === '/-/ready' || url.pathname === '/-/healthy') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('Prometheus Server is Ready.\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'POST') {
        send(res, 405, {
          status: 'error',
          errorType: 'bad_data',
          error: 'method not allowed',
        });
        return;
      }
      const params = await readParams(req, url);
      const query = params.get('query') ?? '';
      const now = Date.now() / 1000;
      if (url.pathname === '/api/v1/query') {
        const t = parseTime(params.get('time'), now);
        if (t === undefined) {
          badData(
            res,
            'invalid parameter "time": cannot parse to a valid timestamp',
          );
          return;
        }
        const result = evaluate(traffic, query, t);
        if (!result) {
          countsOut.refused++;
          badData(
            res,
            `invalid parameter "query": the simulator answers only the default SLA queries`,
          );
          return;
        }
        countsOut.answered++;
        send(res, 200, {
          status: 'success',
          data: {
            resultType: 'vector',
            result: result.map(r => ({
              metric: r.metric,
              value: [t, formatValue(r.value)],
            })),
          },
        });
        return;
      }
      if (url.pathname === '/api/v1/query_range') {
        const start = parseTime(params.get('start'), NaN);
        const end = parseTime(params.get('end'), NaN);
        const step = Number(params.get('step'));
        if (
          start === undefined ||
          end === undefined ||
          !Number.isFinite(start) ||
          !Number.isFinite(end)
        ) {
          badData(
            res,
            'invalid parameter "start": cannot parse to a valid timestamp',
          );
          return;
        }
        if (end < start) {
          badData(
            res,
            'invalid parameter "end": end timestamp must not be before start time',
          );
          return;
        }
        if (!(step > 0)) {
          badData(
            res,
            'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
          );
          return;
        }
        if ((end - start) / step > 11000) {
          badData(
            res,
            'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
          );
          return;
        }
        if (!match(query)) {
          countsOut.refused++;
          badData(
            res,
            `invalid parameter "query": the simulator answers only the default SLA queries`,
          );
          return;
        }
        countsOut.answered++;
        const series = new Map<
          string,
          { metric: Record<string, string>; values: Array<[number, string]> }
        >();
        for (let t = start; t <= end; t += step) {
          for (const r of evaluate(traffic, query, t) ?? []) {
            const key = JSON.stringify(r.metric);
            const s = series.get(key) ?? { metric: r.metric, values: [] };
            s.values.push([t, formatValue(r.value)]);
            series.set(key, s);
          }
        }
        send(res, 200, {
          status: 'success',
          data: { resultType: 'matrix', result: [...series.values()] },
        });
        return;
      }
      send(res, 404, {
        status: 'error',
        errorType: 'not_found',
        error: 'not found',
      });
    };
    handle().catch(error => {
      send(res, 500, {
        status: 'error',
        errorType: 'internal',
        error: String(error),
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    counts: countsOut,
    stop: () => new Promise(resolve => server.close(() => resolve())),
  };
}
