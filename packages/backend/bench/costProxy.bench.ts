/*
 * yarn bench:backend (second part) — the cost routes next to the naive
 * alternative, side by side in one run: warm GET /tenants/{id}/cost and
 * /costs/summary of the tenant API (daily snapshots in the plugin's
 * database, refreshed by the scheduler) against the same data fetched
 * through Backstage's proxy backend from a Kubecost that answers in
 * BENCH_UPSTREAM_MS (default 500 ms), what a browser-side plugin with no
 * cache does. Then 100 concurrent cold requests of each, with the upstream
 * calls they made (target: 1 at most). The proxy backend exists in this
 * harness only, never in the portal's features.
 *
 * Permissions here are the test backend's allow-all mock (the permission
 * path with the portal's real policy is measured in tenantApi.bench.ts);
 * auth is the test backend's mock user token.
 *
 *   BENCH_SECONDS per route (default 5), BENCH_CONNECTIONS (default 50),
 *   BENCH_COLD (default 100), BENCH_UPSTREAM_MS (default 500)
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import proxyPlugin from '@backstage/plugin-proxy-backend';
import hospitalTenantsPlugin from '@prontuario/plugin-hospital-tenants-backend';
import {
  REFERENCE_COSTS,
  startCostSimulator,
} from '@prontuario/upstream-simulators';
import autocannon from 'autocannon';
import { AddressInfo } from 'node:net';
import os from 'node:os';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const COLD = Number(process.env.BENCH_COLD ?? 100);
const UPSTREAM_MS = Number(process.env.BENCH_UPSTREAM_MS ?? 500);
const USER = 'user:default/ana.platform';

const BUDGETS: Record<string, number> = {
  'hospital-santa-maria': 35000,
  'hospital-sao-joao': 8000,
  'real-hospital-portugues': 15000,
};

function tenantEntity(slug: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: slug,
      namespace: 'default',
      annotations: {
        'hospital-tenants.io/tenant-id': slug,
        'hospital-tenants.io/display-name': slug,
        'hospital-tenants.io/monthly-budget-brl': String(BUDGETS[slug]),
        'hospital-tenants.io/daily-users': '300',
      },
    },
    spec: {
      type: 'hospital-tenant',
      owner: `group:default/${slug}`,
      lifecycle: 'production',
    },
  };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

async function main() {
  const kubecost = await startCostSimulator({
    kind: 'kubecost',
    latencyMs: UPSTREAM_MS,
  });
  const backend = await startTestBackend({
    features: [
      hospitalTenantsPlugin,
      proxyPlugin,
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      // the cost refresh (initial delay) runs once at start
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      catalogServiceMock.factory({
        entities: Object.keys(BUDGETS).map(tenantEntity),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          proxy: {
            endpoints: {
              '/kubecost': { target: kubecost.url, allowedMethods: ['GET'] },
            },
          },
          hospitalTenants: {
            api: { warmupSeconds: 0 },
            cost: {
              source: { product: 'kubecost', baseUrl: kubecost.url },
              notifications: { enabled: false },
            },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api`;
  const authorization = mockCredentials.user.header(USER);
  const get = (url: string) => fetch(url, { headers: { authorization } });

  const costUrl = (slug: string) =>
    `${base}/hospital-tenants/tenants/${slug}/cost`;
  await until(
    async () => (await get(costUrl('hospital-santa-maria'))).ok,
    180_000,
  );

  // what a browser-side plugin asks Kubecost through the proxy for the same
  // facts: one tenant's last two months by day, and the last month by cluster
  const window = (() => {
    const d = new Date();
    const start = new Date(
      Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1),
    );
    return `${start.toISOString().slice(0, 10)}T03:00:00Z,${d
      .toISOString()
      .slice(0, 10)}T03:00:00Z`;
  })();
  const proxyTenant = (slug: string) =>
    `${base}/proxy/kubecost/model/allocation?window=${encodeURIComponent(
      window,
    )}&aggregate=namespace&accumulate=false&filter=${encodeURIComponent(
      `cluster:"${slug}"`,
    )}`;
  const proxySummary = `${base}/proxy/kubecost/model/allocation?window=lastmonth&aggregate=cluster&accumulate=true`;

  const routes: Array<[string, string]> = [
    ['GET /tenants/{id}/cost (warm)', costUrl('hospital-santa-maria')],
    ['GET /costs/summary (warm)', `${base}/hospital-tenants/costs/summary`],
    [
      `proxy → Kubecost (${UPSTREAM_MS} ms): one tenant's allocation`,
      proxyTenant('hospital-santa-maria'),
    ],
    [
      `proxy → Kubecost (${UPSTREAM_MS} ms): last month by cluster`,
      proxySummary,
    ],
  ];
  for (const [name, url] of routes) {
    const res = await get(url);
    if (res.status !== 200) {
      throw new Error(`${name}: ${res.status} ${await res.text()}`);
    }
  }

  const rows: string[] = [];
  for (const [name, url] of routes) {
    const before = kubecost.requests.length;
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { authorization },
    });
    rows.push(
      `| ${name} | ${Math.round(result.requests.average)} | ${
        result.latency.p50
      } | ${result.latency.p99} | ${kubecost.requests.length - before} | ${
        result.errors + result.non2xx
      } |`,
    );
  }

  // cold: a tenant no one asked for yet (nothing memoised), 100 at once
  const cold: string[] = [];
  for (const [name, url] of [
    ['GET /tenants/{id}/cost (cold)', costUrl('hospital-sao-joao')],
    [`proxy → Kubecost (cold)`, proxyTenant('hospital-sao-joao')],
  ] as const) {
    const before = kubecost.requests.length;
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: COLD }, () => get(url).then(r => r.status)),
    );
    cold.push(
      `| ${name} | ${COLD} | ${statuses.filter(s => s === 200).length} | ${
        Date.now() - started
      } | ${kubecost.requests.length - before} |`,
    );
  }

  const lines = [
    `Cost routes vs the proxy: ${CONNECTIONS} connections, ${SECONDS} s per route, Kubecost simulator answering in ${UPSTREAM_MS} ms, load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}, ${new Date().toISOString()}`,
    '',
    '| Route | req/s | p50 ms | p99 ms | Kubecost calls | non-2xx/errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `${COLD} concurrent cold requests (target: at most 1 upstream call):`,
    '',
    '| Route | requests | 200 | wall ms | Kubecost calls |',
    '|---|---:|---:|---:|---:|',
    ...cold,
    '',
    `Reference last month: ${Object.values(REFERENCE_COSTS)
      .map(c => c.lastMonthBrl)
      .reduce((a, b) => a + b, 0)} BRL over ${
      Object.keys(REFERENCE_COSTS).length
    } tenants (the tenant API's numbers; the proxy rows return Kubecost's raw allocation JSON, unattributed)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await Promise.race([
    Promise.all([backend.stop(), kubecost.stop()]),
    new Promise(resolve => setTimeout(resolve, 5000).unref()),
  ]);
  process.exit(0);
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
