import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUpstreamPolicy } from '../../upstream/resilience';
import { KubecostSource, OpenCostSource } from './HttpCostSource';

/** A server answering canned bodies by path, recording the queries. */
async function canned(
  routes: Record<string, { status?: number; type?: string; body: unknown }>,
) {
  const queries: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    queries.push(url.searchParams);
    const route = routes[url.pathname];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(route.status ?? 200, {
      'content-type': route.type ?? 'application/json',
    });
    res.end(
      typeof route.body === 'string' ? route.body : JSON.stringify(route.body),
    );
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    stop: () => new Promise(r => server.close(r)),
  };
}

const policy = () =>
  createUpstreamPolicy({ name: 'test', timeoutMs: 2000, maxAttempts: 1 });
const ZONE = 'America/Sao_Paulo';
const query = {
  from: '2026-10-01',
  to: '2026-10-03',
  aggregate: 'label:hospital_tenants_io_tenant',
  includeIdle: true,
};

const row = (name: string, start: string, extra: object = {}) => ({
  name,
  properties: { cluster: 'management' },
  window: { start, end: start },
  start,
  end: start,
  minutes: 1440,
  cpuCost: 10,
  cpuCostAdjustment: -1,
  ramCost: 5,
  ramCostAdjustment: null,
  gpuCost: null,
  pvCost: 2,
  networkCost: 1,
  loadBalancerCost: 3,
  sharedCost: 0,
  externalCost: 0,
  totalCost: 20,
  cpuEfficiency: 0.5,
  ramEfficiency: null,
  ...extra,
});

describe('Kubecost and OpenCost clients', () => {
  const servers: Array<{ stop: () => Promise<unknown> }> = [];
  afterAll(() => Promise.all(servers.map(s => s.stop())));

  it('reads several daily steps, both label key styles, nulls, idle and unallocated rows', async () => {
    const body = {
      code: 200,
      data: [
        {
          'hospital_tenants_io_tenant=hospital-sao-joao': row(
            'a',
            '2026-10-01T03:00:00Z',
          ),
          __idle__: row('__idle__', '2026-10-01T03:00:00Z', {
            cpuEfficiency: null,
          }),
          __unallocated__: row('__unallocated__', '2026-10-01T03:00:00Z'),
        },
        {},
        { 'hospital-sao-joao': row('b', '2026-10-02T03:00:00Z') },
      ],
    };
    const s = await canned({ '/model/allocation': { body } });
    servers.push(s);
    const kubecost = new KubecostSource({
      baseUrl: s.url,
      timeZone: ZONE,
      policy: policy(),
    });
    const days = await kubecost.allocation(query);
    expect(days.map(d => d.day)).toEqual(['2026-10-01', '2026-10-02']);
    const first = days[0].rows;
    expect(first.map(r => [r.key, r.idle, r.unallocated])).toEqual([
      ['hospital-sao-joao', false, false],
      ['__idle__', true, false],
      ['__unallocated__', false, true],
    ]);
    // adjustments added, nulls as 0, efficiency null kept
    expect(first[0]).toMatchObject({
      cpu: 9,
      ram: 5,
      gpu: 0,
      total: 20,
      ramEfficiency: null,
    });
    expect(first[1].cpuEfficiency).toBeNull();
    expect(days[1].rows[0].key).toBe('hospital-sao-joao');
    const sent = s.queries[0];
    expect(sent.get('window')).toBe(
      '2026-10-01T03:00:00Z,2026-10-03T03:00:00Z',
    );
    expect(sent.get('accumulate')).toBe('false');
    expect(sent.get('idle')).toBe('true');
  });

  it('reads an empty window and a null data as no days', async () => {
    const s = await canned({
      '/allocation/compute': {
        body: { code: 200, status: 'success', data: [{}] },
      },
      '/model/allocation': { body: { code: 200, data: null } },
    });
    servers.push(s);
    const opencost = new OpenCostSource({
      baseUrl: s.url,
      timeZone: ZONE,
      policy: policy(),
    });
    await expect(opencost.allocation(query)).resolves.toEqual([]);
    expect(s.queries[0].get('step')).toBe('1d');
    expect(s.queries[0].get('includeIdle')).toBe('true');
    const kubecost = new KubecostSource({
      baseUrl: s.url,
      timeZone: ZONE,
      policy: policy(),
    });
    await expect(kubecost.allocation(query)).resolves.toEqual([]);
  });

  it('turns error envelopes into clear errors', async () => {
    const s = await canned({
      '/allocation/compute': {
        status: 400,
        type: 'text/plain; charset=utf-8',
        body: "Invalid 'window' parameter: bad\n",
      },
      '/model/allocation': {
        status: 500,
        body: {
          code: 500,
          status: '',
          data: null,
          message: 'Error: prometheus down',
        },
      },
      '/allocation': {
        body: {
          code: 500,
          status: 'error',
          data: null,
          message: 'query failed',
        },
      },
      '/getConfigs': { body: 'not json', type: 'text/plain' },
    });
    servers.push(s);
    const opencost = new OpenCostSource({
      baseUrl: s.url,
      timeZone: ZONE,
      policy: policy(),
    });
    await expect(opencost.allocation(query)).rejects.toThrow(
      /OpenCost at .* answered HTTP 400: Invalid 'window' parameter: bad/,
    );
    const kubecost = new KubecostSource({
      baseUrl: s.url,
      timeZone: ZONE,
      policy: policy(),
    });
    await expect(kubecost.allocation(query)).rejects.toThrow(
      /HTTP 500: Error: prometheus down/,
    );
    // code 500 inside an HTTP 200
    const inside = new (class extends OpenCostSource {
      allocation() {
        return this.get('/allocation', {}).then(b =>
          this.normalise(b, 'namespace'),
        );
      }
    })({ baseUrl: s.url, timeZone: ZONE, policy: policy() });
    await expect(inside.allocation()).rejects.toThrow(
      /failed \(code 500\): query failed/,
    );
    await expect(opencost.currency()).rejects.toThrow(/malformed JSON/);
  });

  it('reads savings as the 2.x bare object and as the older array', async () => {
    const rec = (total: number | null) => ({
      namespace: 'ehr',
      controllerKind: 'deployment',
      controllerName: 'api',
      containerName: 'api',
      monthlySavings: { cpu: 1, memory: 1, total },
    });
    const object = await canned({
      '/model/savings/requestSizingV2': {
        body: {
          TotalMonthlySavings: 10,
          Count: 2,
          Recommendations: [rec(12), rec(-2)],
        },
      },
      '/model/getConfigs': {
        body: { code: 200, data: { currencyCode: 'brl' } },
      },
    });
    const array = await canned({
      '/model/savings/requestSizingV2': { body: [rec(7), rec(null)] },
    });
    servers.push(object, array);
    const a = new KubecostSource({
      baseUrl: object.url,
      timeZone: ZONE,
      policy: policy(),
    });
    expect((await a.savings('cluster:"x"')).map(r => r.monthlySavings)).toEqual(
      [12, -2],
    );
    expect(await a.currency()).toBe('BRL');
    const b = new KubecostSource({
      baseUrl: array.url,
      timeZone: ZONE,
      policy: policy(),
    });
    expect((await b.savings('cluster:"x"')).map(r => r.monthlySavings)).toEqual(
      [7, 0],
    );
    const opencost = new OpenCostSource({
      baseUrl: array.url,
      timeZone: ZONE,
      policy: policy(),
    });
    await expect(opencost.savings()).resolves.toBeUndefined();
  });
});
