/*
 * Kubecost (2.x, `/model/...` on its frontend port) and OpenCost (API port,
 * no prefix) as HTTP servers over the deterministic cost model, in their
 * real wire formats (../shared/reference/EXTERNAL-APIS.md §2–3): allocation
 * sets per step, `__idle__` and `__unallocated__` rows, NaN as `null`
 * (OpenCost), Kubecost's `label=value` keys against OpenCost's bare values,
 * requestSizingV2's bare object (2.x) or array (older), and error envelopes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import {
  CostModel,
  CostModelOptions,
  CostRow,
  MANAGEMENT_CLUSTER,
} from './model';

/** Which product a simulator plays. @public */
export type CostSimulatorKind = 'kubecost' | 'opencost';

/** Options of {@link startCostSimulator}. @public */
export interface CostSimulatorOptions extends CostModelOptions {
  kind: CostSimulatorKind;
  /** 0 = a free port */
  port?: number;
  host?: string;
  /** the currency the source is configured with (default BRL) */
  currency?: string;
  /** Kubecost only: answer requestSizingV2 as before 2.x (a bare array) */
  savingsAsArray?: boolean;
  /** every answer waits this long (a slow source, for benchmarks; default 0) */
  latencyMs?: number;
}

/** A running cost simulator. @public */
export interface CostSimulator {
  kind: CostSimulatorKind;
  /** base URL: Kubecost's frontend (paths under `/model`), OpenCost's API */
  url: string;
  model: CostModel;
  /** requests served, by path (tests count upstream calls) */
  readonly requests: Array<{ path: string; query: Record<string, string> }>;
  /** the next `times` requests whose path starts with `path` answer `status` with `body` (or the product's error envelope) */
  fail(rule: {
    path: string;
    status: number;
    body?: string;
    times?: number;
  }): void;
  setCurrency(currency: string): void;
  stop(): Promise<void>;
}

type Step = { start: DateTime; end: DateTime };

const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

function parseWindow(window: string, model: CostModel): Step {
  const now = model.now();
  const zone = model.timeZone;
  const today = now.startOf('day');
  const named: Record<string, () => Step> = {
    today: () => ({ start: today, end: now }),
    yesterday: () => ({ start: today.minus({ days: 1 }), end: today }),
    month: () => ({ start: now.startOf('month'), end: now }),
    lastmonth: () => ({
      start: now.startOf('month').minus({ months: 1 }),
      end: now.startOf('month'),
    }),
  };
  if (named[window]) return named[window]();
  const days = /^(\d+)d$/.exec(window);
  if (days) {
    return { start: today.minus({ days: Number(days[1]) - 1 }), end: now };
  }
  const parts = window.split(',');
  if (parts.length === 2) {
    const parse = (p: string) =>
      /^\d+$/.test(p)
        ? DateTime.fromSeconds(Number(p), { zone })
        : DateTime.fromISO(p, { zone });
    const [start, end] = parts.map(parse);
    if (start.isValid && end.isValid && start < end) return { start, end };
  }
  throw new Error(`Invalid 'window' parameter: ${window}`);
}

/** Days of the model's zone overlapping the window, clipped to now. */
function daysOf(
  window: Step,
  model: CostModel,
): Array<Step & { fraction: number }> {
  const now = model.now();
  const end = window.end < now ? window.end : now;
  const out: Array<Step & { fraction: number }> = [];
  for (
    let day = window.start.setZone(model.timeZone).startOf('day');
    day < end;
    day = day.plus({ days: 1 })
  ) {
    const dayEnd = day.plus({ days: 1 });
    const start = window.start > day ? window.start : day;
    const stop = end < dayEnd ? end : dayEnd;
    if (stop <= start) continue;
    out.push({
      start,
      end: stop,
      fraction:
        stop.diff(start).as('milliseconds') /
        dayEnd.diff(day).as('milliseconds'),
    });
  }
  return out;
}

interface Filter {
  clusters?: string[];
  namespaces?: string[];
}

/** The subset of the v2 filter language the portal sends: `field:"v"[,"v2"]` joined with `+`. */
function parseFilter(filter: string | undefined): Filter {
  const out: Filter = {};
  if (!filter) return out;
  for (const clause of filter.split('+')) {
    const match = /^\s*(cluster|namespace):((?:"[^"]*",?)+)\s*$/.exec(clause);
    if (!match) throw new Error(`Unsupported filter: ${clause}`);
    const values = [...match[2].matchAll(/"([^"]*)"/g)].map(m => m[1]);
    if (match[1] === 'cluster') out.clusters = values;
    else out.namespaces = values;
  }
  return out;
}

function tenantsIn(filter: Filter): string[] {
  const slugs = new Set<string>();
  for (const c of filter.clusters ?? []) {
    if (c !== MANAGEMENT_CLUSTER) slugs.add(c);
  }
  for (const ns of filter.namespaces ?? []) {
    if (ns.startsWith('tenant-')) slugs.add(ns.slice('tenant-'.length));
  }
  return [...slugs];
}

function keyOf(
  row: CostRow,
  aggregate: string,
  kind: CostSimulatorKind,
): string {
  if (row.idle) return '__idle__';
  const parts = aggregate.split(',').map(a => {
    if (a === 'cluster') return row.cluster;
    if (a === 'namespace') return row.namespace ?? '__unallocated__';
    if (a.startsWith('label:')) {
      const name = a.slice('label:'.length);
      const value = row.labels?.[name];
      if (value === undefined) return '__unallocated__';
      return kind === 'kubecost' ? `${name}=${value}` : value;
    }
    throw new Error(`unsupported aggregate ${a}`);
  });
  return parts.join('/');
}

function allocation(
  name: string,
  rows: CostRow[],
  step: Step,
  kind: CostSimulatorKind,
  aggregate: string,
) {
  const sum = (f: (r: CostRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const cpuCost = sum(r => r.cpuCost);
  const ramCost = sum(r => r.ramCost);
  const gpuCost = sum(r => r.gpuCost);
  const pvCost = sum(r => r.pvCost);
  const networkCost = sum(r => r.networkCost);
  const loadBalancerCost = sum(r => r.loadBalancerCost);
  const idle = rows.every(r => r.idle);
  const hours = step.end.diff(step.start).as('hours');
  const cpuCores = cpuCost / 0.25 / Math.max(hours, 1e-9);
  const ramBytes = (ramCost / 0.03 / Math.max(hours, 1e-9)) * 2 ** 30;
  const eff = (
    f: (r: CostRow) => number | null,
    costOf: (r: CostRow) => number,
  ) => {
    if (idle) return null;
    const total = sum(costOf);
    if (total > 0) return sum(r => (f(r) ?? 0) * costOf(r)) / total;
    // NaN: OpenCost writes null, Kubecost 0
    return kind === 'opencost' ? null : 0;
  };
  const cpuEfficiency = eff(
    r => r.cpuEfficiency,
    r => r.cpuCost,
  );
  const ramEfficiency = eff(
    r => r.ramEfficiency,
    r => r.ramCost,
  );
  const totalEfficiency =
    cpuEfficiency === null || ramEfficiency === null || cpuCost + ramCost === 0
      ? null
      : (cpuEfficiency * cpuCost + ramEfficiency * ramCost) /
        (cpuCost + ramCost);
  const first = rows[0];
  const properties: Record<string, unknown> = { cluster: first.cluster };
  if (!idle && aggregate === 'namespace' && first.namespace) {
    properties.namespace = first.namespace;
  }
  const start = step.start.toUTC().toISO({ suppressMilliseconds: true });
  const end = step.end.toUTC().toISO({ suppressMilliseconds: true });
  const n = (v: number | null) => (v === null ? null : round5(v));
  const base: Record<string, unknown> = {
    name,
    properties,
    window: { start, end },
    start,
    end,
    minutes: n(step.end.diff(step.start).as('minutes')),
    cpuCores: n(cpuCores),
    cpuCoreRequestAverage: n(idle ? 0 : cpuCores),
    cpuCoreUsageAverage: n(idle ? 0 : cpuCores * (cpuEfficiency ?? 0)),
    cpuCoreHours: n(cpuCores * hours),
    cpuCost: n(cpuCost),
    cpuCostAdjustment: 0,
    ...(kind === 'opencost' && { cpuCostIdle: 0 }),
    cpuEfficiency: n(cpuEfficiency),
    gpuCount: 0,
    gpuHours: 0,
    gpuCost: n(gpuCost),
    gpuCostAdjustment: 0,
    networkTransferBytes: n(networkCost * 1e9),
    networkReceiveBytes: n(networkCost * 1.4e9),
    networkCost: n(networkCost),
    networkCrossZoneCost: n(networkCost * 0.6),
    networkCrossRegionCost: 0,
    networkInternetCost: n(networkCost * 0.4),
    networkCostAdjustment: 0,
    loadBalancerCost: n(loadBalancerCost),
    loadBalancerCostAdjustment: 0,
    pvBytes: n(pvCost > 0 ? 100 * 2 ** 30 : 0),
    pvByteHours: n(pvCost > 0 ? 100 * 2 ** 30 * hours : 0),
    pvCost: n(pvCost),
    pvs:
      pvCost > 0
        ? {
            [`cluster=${first.cluster}:name=pvc-${name}`]: {
              byteHours: round5(100 * 2 ** 30 * hours),
              cost: n(pvCost),
            },
          }
        : null,
    pvCostAdjustment: 0,
    ramBytes: n(ramBytes),
    ramByteRequestAverage: n(idle ? 0 : ramBytes),
    ramByteUsageAverage: n(idle ? 0 : ramBytes * (ramEfficiency ?? 0)),
    ramByteHours: n(ramBytes * hours),
    ramCost: n(ramCost),
    ramCostAdjustment: 0,
    ...(kind === 'opencost' && { ramCostIdle: 0 }),
    ramEfficiency: n(ramEfficiency),
    sharedCost: 0,
    externalCost: 0,
    totalCost: n(
      cpuCost + ramCost + gpuCost + pvCost + networkCost + loadBalancerCost,
    ),
    totalEfficiency: n(totalEfficiency),
    rawAllocationOnly: null,
  };
  if (kind === 'opencost') {
    base.lbAllocations = null;
    delete base.rawAllocationOnly;
  }
  return base;
}

function allocationSets(
  query: URLSearchParams,
  kind: CostSimulatorKind,
  model: CostModel,
  known: Set<string>,
) {
  const window = parseWindow(query.get('window') ?? '', model);
  const aggregate = query.get('aggregate') || 'namespace';
  const filter = parseFilter(query.get('filter') ?? undefined);
  tenantsIn(filter).forEach(t => known.add(t));
  const idleParam = query.get(kind === 'kubecost' ? 'idle' : 'includeIdle');
  const includeIdle =
    idleParam === null ? kind === 'kubecost' : idleParam === 'true';
  const accumulate = query.get('accumulate');
  const step = query.get('step');
  // Kubecost: daily sets unless accumulated; OpenCost: one set unless a step
  const daily =
    kind === 'kubecost'
      ? accumulate !== 'true'
      : step === '1d' ||
        step === '24h' ||
        step === 'day' ||
        accumulate === 'day';
  const clusters = filter.clusters ?? [MANAGEMENT_CLUSTER, ...known];
  const days = daysOf(window, model);
  const rowsOf = (day: Step & { fraction: number }) =>
    clusters.flatMap(cluster =>
      model
        .rows(cluster, day.start.startOf('day'), day.fraction, known)
        .filter(
          r =>
            (includeIdle || !r.idle) &&
            (!filter.namespaces ||
              r.idle ||
              (r.namespace !== undefined &&
                filter.namespaces.includes(r.namespace))),
        ),
    );
  const render = (rows: CostRow[], span: Step) => {
    const groups = new Map<string, CostRow[]>();
    for (const row of rows) {
      const key = keyOf(row, aggregate, kind);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const set: Record<string, unknown> = {};
    for (const [key, group] of [...groups.entries()].sort()) {
      set[key] = allocation(key, group, span, kind, aggregate);
    }
    return set;
  };
  if (daily) return days.map(day => render(rowsOf(day), day));
  if (days.length === 0) return [{}];
  return [
    render(days.flatMap(rowsOf), {
      start: days[0].start,
      end: days[days.length - 1].end,
    }),
  ];
}

function savings(
  query: URLSearchParams,
  model: CostModel,
  asArray: boolean,
  known: Set<string>,
) {
  const filter = parseFilter(query.get('filter') ?? undefined);
  const clusters = filter.clusters ?? model.tenantsOn(model.now(), known);
  const recommendations = clusters.flatMap(cluster => {
    const total = model.savings(cluster);
    if (total === 0) return [];
    const rec = (
      ns: string,
      controllerName: string,
      container: string,
      amount: number,
      kind = 'Deployment',
    ) => ({
      clusterID: cluster,
      namespace: ns,
      controllerKind: kind,
      controllerName,
      containerName: container,
      recommendedRequest: { cpu: '250m', memory: '512Mi' },
      latestKnownRequest: { cpu: '1', memory: '2Gi' },
      monthlySavings: {
        cpu: round5(amount * 0.7),
        memory: round5(amount * 0.3),
        total: round5(amount),
      },
      currentEfficiency: { cpu: 0.21, memory: 0.34, total: 0.26 },
      averageUsage: { cpu: '180m', memory: '410Mi' },
      maxUsage: { cpu: '230m', memory: '470Mi' },
      normalizedAverageUsage: { cpuInMilliCores: 180, memoryInMiB: 410 },
      normalizedMaxUsage: { cpuInMilliCores: 230, memoryInMiB: 470 },
    });
    // one under-provisioned container: a negative saving
    return [
      rec('ehr', 'ehr-api', 'api', total * 0.6),
      rec('pacs', 'pacs-viewer', 'viewer', total * 0.45, 'StatefulSet'),
      rec('lab', 'lab-worker', 'worker', -total * 0.05),
    ];
  });
  if (asArray) return recommendations;
  return {
    TotalMonthlySavings: round5(
      recommendations.reduce((s, r) => s + r.monthlySavings.total, 0),
    ),
    Count: recommendations.length,
    Recommendations: recommendations,
  };
}

/**
 * Starts a Kubecost or OpenCost simulator.
 *
 * @public
 */
export async function startCostSimulator(
  options: CostSimulatorOptions,
): Promise<CostSimulator> {
  const { kind } = options;
  const model = new CostModel(options);
  let currency = options.currency ?? 'BRL';
  const known = new Set<string>();
  const requests: CostSimulator['requests'] = [];
  const failures: Array<{
    path: string;
    status: number;
    body?: string;
    times: number;
  }> = [];
  const prefix = kind === 'kubecost' ? '/model' : '';

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const error = (res: http.ServerResponse, status: number, message: string) =>
    kind === 'opencost'
      ? json(res, status, {
          code: status,
          status: '',
          data: null,
          message: `Error: ${message}`,
        })
      : json(res, status, { code: status, message });

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    let path = url.pathname;
    // URL-template mode: /clusters/<name>/... is that cluster's own source
    const scoped = /^\/clusters\/([a-z0-9-]+)(\/.*)$/.exec(path);
    const query = new URLSearchParams(url.searchParams);
    if (scoped) {
      path = scoped[2];
      const own = scoped[1];
      const filter = query.get('filter');
      query.set('filter', `cluster:"${own}"${filter ? `+${filter}` : ''}`);
    }
    requests.push({ path, query: Object.fromEntries(query) });
    const failure = failures.find(f => path.startsWith(f.path) && f.times > 0);
    if (failure) {
      failure.times -= 1;
      if (failure.body !== undefined) {
        res.writeHead(failure.status, {
          'content-type': 'text/plain; charset=utf-8',
        });
        res.end(failure.body);
        return;
      }
      error(res, failure.status, 'simulated failure');
      return;
    }
    try {
      if (
        path === `${prefix}/allocation` ||
        path === `${prefix}/allocation/compute`
      ) {
        let data;
        try {
          data = allocationSets(query, kind, model, known);
        } catch (e: any) {
          if (kind === 'opencost' && /window/.test(e.message)) {
            res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
            res.end(`${e.message}\n`);
            return;
          }
          error(res, 400, e.message);
          return;
        }
        json(
          res,
          200,
          kind === 'opencost'
            ? { code: 200, status: 'success', data }
            : { code: 200, data },
        );
        return;
      }
      if (kind === 'kubecost' && path === '/model/savings/requestSizingV2') {
        json(res, 200, savings(query, model, !!options.savingsAsArray, known));
        return;
      }
      if (path === `${prefix}/getConfigs`) {
        json(res, 200, {
          code: 200,
          ...(kind === 'opencost' && { status: 'success' }),
          data: { currencyCode: currency },
        });
        return;
      }
      if (path === '/healthz') {
        res.writeHead(200);
        res.end('ok');
        return;
      }
      error(res, 404, `no route ${path}`);
    } catch (e: any) {
      error(res, 500, e?.message ?? String(e));
    }
  };
  const latencyMs = options.latencyMs ?? 0;
  const server = http.createServer((req, res) => {
    if (latencyMs > 0) setTimeout(() => handle(req, res), latencyMs);
    else handle(req, res);
  });
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    model,
    requests,
    fail: rule => failures.push({ times: 1, ...rule }),
    setCurrency: c => {
      currency = c;
    },
    stop: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
