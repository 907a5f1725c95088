/*
 * yarn bench:backend — the tenant API's speed with permissions, side by side
 * in one run: a constant route behind user auth only (the floor), warm
 * /tenants/{id}/status and /isolation with the permission check through the
 * real permission backend and the portal's policy, /tenants, and warm
 * /tenants/{id}/cost and /costs/summary (daily snapshots refreshed from the
 * Kubecost simulator before measuring; the count of Kubecost calls made
 * while measuring is printed, expected 0). Prints a
 * table (p50/p99 latency, req/s). Not a test: numbers depend on the machine.
 * Users sign in through the guest provider and every request carries a real
 * Backstage JWT (BENCH_AUTH=mock uses the test backend's mock tokens).
 *
 *   BENCH_SECONDS per route and round (default 5), BENCH_ROUNDS (default 3,
 *   interleaved; the median round is reported), BENCH_CONNECTIONS (default 50)
 */
import {
  AuthService,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { tenantControlPlaneToEntity } from '@prontuario/plugin-catalog-backend-module-hospital-tenants';
import hospitalTenantsPlugin from '@prontuario/plugin-hospital-tenants-backend';
import {
  KubernetesClusterClient,
  managementClusterReaderServiceRef,
} from '@prontuario/plugin-hospital-tenants-node';
import {
  loadReferenceTenants,
  seedTenants,
  startClusterSimulator,
  startCostSimulator,
} from '@prontuario/upstream-simulators';
import { KubeConfig } from '@kubernetes/client-node';
import autocannon from 'autocannon';
import fs from 'node:fs';
import os from 'node:os';
import { AddressInfo } from 'node:net';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import authPlugin from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import policyModule from '../src/modules/permissionPolicy';
import { authWithPluginActor } from '../src/__testUtils__/testServices';

const repoRoot = path.resolve(__dirname, '../../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const OWNER = 'user:default/sofia.santamaria';
/** BENCH_AUTH=mock: the test backend's mock auth instead of real JWTs */
const REAL_AUTH = process.env.BENCH_AUTH !== 'mock';

/** A real Backstage user token for OWNER, from the guest provider. */
async function guestToken(base: string): Promise<string> {
  const res = await fetch(`${base}/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok)
    throw new Error(`guest sign-in: ${res.status} ${await res.text()}`);
  const body = await res.json();
  return body.backstageIdentity.token;
}

/** The floor: a constant answer behind user authentication only. */
const floorPlugin = createBackendPlugin({
  pluginId: 'bench-floor',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const express = await import('express');
        const router = express.Router();
        router.get('/constant', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['user'] });
          res.json({ ok: true });
        });
        httpRouter.use(router);
      },
    });
  },
});

/**
 * Real user credentials carry their token's expiry (`exp`); the mock ones do
 * not. Without it the tenant API (rightly) caches no permission decision, so
 * the bench gives the mock credentials the one-hour expiry of a real token.
 * Like the real httpAuth, it resolves a request's credentials once.
 */
const httpAuthWithExpiry = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    // like the real httpAuth, resolve a request's credentials once (the
    // auditor asks again for the actor)
    const resolved = new WeakMap<object, Promise<any>>();
    return {
      issueUserCookie: inner.issueUserCookie.bind(inner),
      async credentials(req: any, options?: any) {
        let pending = resolved.get(req);
        if (!pending) {
          pending = inner
            .credentials(req, { allow: ['user', 'service', 'none'] as any })
            .then(credentials =>
              credentials.expiresAt
                ? credentials
                : {
                    ...credentials,
                    expiresAt: new Date(Date.now() + 3600_000),
                  },
            );
          resolved.set(req, pending);
        }
        const credentials = await pending;
        const allow: string[] | undefined = options?.allow;
        if (allow && !allow.includes(credentials.principal.type)) {
          return inner.credentials(req, options) as any;
        }
        return credentials;
      },
    };
  },
});

function ownership(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const doc of parseAllDocuments(
    fs.readFileSync(path.join(repoRoot, 'examples/org.yaml'), 'utf8'),
  ).map(d => d.toJSON())) {
    if (doc?.kind === 'User') {
      const ref = `user:default/${doc.metadata.name}`;
      map.set(ref, [
        ref,
        ...doc.spec.memberOf.map((g: string) => `group:default/${g}`),
      ]);
    }
  }
  return map;
}

/** The machine's load, so a busy machine is visible next to the numbers. */
function loadLine(): string {
  return `load average ${os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ')} on ${os.cpus().length} CPUs`;
}

async function main() {
  // before anything of the bench runs: what else is using the machine
  process.stdout.write(
    `Tenant API bench starting: ${loadLine()}, Node ${
      process.version
    }, ${new Date().toISOString()}\n`,
  );
  const sim = await startClusterSimulator({ port: 0, readyDelayMs: 100 });
  const tenants = await loadReferenceTenants(repoRoot);
  await seedTenants(sim, tenants);
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigs.reader);
  const client = new KubernetesClusterClient(kc, { requestTimeoutMs: 10_000 });
  const owners = ownership();
  const kubecost = await startCostSimulator({ kind: 'kubecost' });
  const backend = await startTestBackend({
    features: [
      hospitalTenantsPlugin,
      floorPlugin,
      // the cost refresh (initial delay) runs once at start
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      permissionPlugin,
      policyModule,
      ...(REAL_AUTH
        ? [
            // real tokens: the guest provider signs sofia in, with her
            // ownership claims; every request verifies the JWT
            authPlugin,
            guestProvider,
            authServiceFactory,
            httpAuthServiceFactory,
            userInfoServiceFactory,
          ]
        : [
            authWithPluginActor,
            httpAuthWithExpiry,
            createServiceFactory({
              service: coreServices.userInfo,
              deps: {},
              factory: () => ({
                async getUserInfo(credentials) {
                  const userEntityRef = (credentials.principal as any)
                    .userEntityRef;
                  return {
                    userEntityRef,
                    ownershipEntityRefs: owners.get(userEntityRef) ?? [
                      userEntityRef,
                    ],
                  };
                },
              }),
            }),
          ]),
      catalogServiceMock.factory({
        entities: tenants.map(t =>
          tenantControlPlaneToEntity(
            t.management.find(o => o.kind === 'TenantControlPlane')!,
            { clusterUrl: 'https://management.example:6443' },
          ),
        ),
      }),
      createServiceFactory({
        service: managementClusterReaderServiceRef,
        deps: {},
        factory: () => ({
          identity: 'reader' as const,
          configured: true,
          client: () => client,
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          app: { baseUrl: 'http://localhost:3000' },
          permission: { enabled: true },
          auth: {
            providers: {
              guest: {
                userEntityRef: OWNER,
                ownershipEntityRefs: owners.get(OWNER),
                dangerouslyAllowOutsideDevelopment: true,
              },
            },
          },
          hospitalTenants: {
            api: { warmupSeconds: 0 },
            cost: {
              source: { product: 'kubecost', baseUrl: kubecost.url },
            },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api`;
  const authorization = REAL_AUTH
    ? `Bearer ${await guestToken(base)}`
    : mockCredentials.user.header(OWNER);
  const routes: Array<[string, string]> = [
    ['floor: constant route, user auth only', `${base}/bench-floor/constant`],
    [
      'GET /tenants/{id}/status (warm)',
      `${base}/hospital-tenants/tenants/hospital-santa-maria/status`,
    ],
    [
      'GET /tenants/{id}/isolation (warm)',
      `${base}/hospital-tenants/tenants/hospital-santa-maria/isolation`,
    ],
    ['GET /tenants', `${base}/hospital-tenants/tenants`],
    [
      'GET /tenants/{id}/cost (warm)',
      `${base}/hospital-tenants/tenants/hospital-santa-maria/cost`,
    ],
    ['GET /costs/summary (warm)', `${base}/hospital-tenants/costs/summary`],
  ];
  // every route answers 200 before anything is measured; the first cost
  // refresh and the tenant index load in the background, so wait for them
  // (up to two minutes on a busy machine) instead of failing the run
  for (const [, url] of routes) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await fetch(url, { headers: { authorization } });
      if (res.status === 200) break;
      if (res.status !== 503 || Date.now() > deadline)
        throw new Error(`${url}: ${res.status} ${await res.text()}`);
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
  const kubecostCallsBefore = kubecost.requests.length;
  // warm the JIT and every cache on all routes before measuring any
  for (const [, url] of routes) {
    await autocannon({
      url,
      connections: CONNECTIONS,
      duration: 2,
      headers: { authorization },
    });
  }
  // interleaved rounds, so that load from elsewhere on the machine hits
  // every route alike; each route reports its median round
  const rounds: Array<
    Array<{ rps: number; p50: number; p99: number; errors: number }>
  > = routes.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, url]] of routes.entries()) {
      const result = await autocannon({
        url,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { authorization },
      });
      rounds[i].push({
        rps: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.non2xx,
      });
    }
  }
  const rows = routes.map(([route], i) => {
    const sorted = [...rounds[i]].sort((a, b) => a.rps - b.rps);
    const median = sorted[Math.floor(sorted.length / 2)];
    return {
      route,
      ...median,
      errors: rounds[i].reduce((sum, r) => sum + r.errors, 0),
    };
  });
  const floor = rows[0].rps;
  const lines = [
    `Tenant API bench: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s per route (median round); at the end ${loadLine()}, ${new Date().toISOString()}`,
    '',
    '| Route | req/s | p50 ms | p99 ms | % of floor | non-2xx/errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      r =>
        `| ${r.route} | ${r.rps} | ${r.p50} | ${r.p99} | ${Math.round(
          (r.rps * 100) / floor,
        )} % | ${r.errors} |`,
    ),
  ];
  lines.push(
    '',
    `Kubecost calls while measuring the cost routes: ${
      kubecost.requests.length - kubecostCallsBefore
    } (the request path reads the daily snapshots only)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  // the auth plugin keeps timers alive: stop what can be stopped, then exit
  await Promise.race([
    Promise.all([backend.stop(), sim.stop(), kubecost.stop()]),
    new Promise(resolve => setTimeout(resolve, 5000).unref()),
  ]);
  process.exit(0);
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
