/*
 * yarn bench:backend — the tenant API's speed with permissions, side by side
 * in one run: a constant route behind user auth only (the floor), warm
 * /tenants/{id}/status and /isolation with the permission check through the
 * real permission backend and the portal's policy, /tenants, and warm
 * /tenants/{id}/cost and /costs/summary (daily snapshots refreshed from the
 * Kubecost simulator before measuring; the count of Kubecost calls made
 * while measuring is printed, expected 0). Prints a
 * table (p50/p99 latency, req/s). Not a test: numbers depend on the machine.
 *
 *   BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50)
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
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import policyModule from '../src/modules/permissionPolicy';

const repoRoot = path.resolve(__dirname, '../../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const OWNER = 'user:default/sofia.santamaria';

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
 * The mock auth of backend-test-utils 1.11 does not mark the calling plugin as
 * the actor of on-behalf-of tokens, as the real auth service does; the
 * permission backend needs it (see the policy's integration test).
 */
const authWithPluginActor = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const pluginId = plugin.getId();
    const inner = mockServices.auth({ pluginId });
    return {
      authenticate: inner.authenticate.bind(inner),
      isPrincipal: inner.isPrincipal.bind(inner) as AuthService['isPrincipal'],
      getNoneCredentials: inner.getNoneCredentials.bind(inner),
      getOwnServiceCredentials: inner.getOwnServiceCredentials.bind(inner),
      getLimitedUserToken: inner.getLimitedUserToken.bind(inner),
      listPublicServiceKeys: inner.listPublicServiceKeys.bind(inner),
      async getPluginRequestToken(options) {
        if (inner.isPrincipal(options.onBehalfOf, 'user')) {
          return {
            token: mockCredentials.user.token(
              options.onBehalfOf.principal.userEntityRef,
              { actor: { subject: `plugin:${pluginId}` } },
            ),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
  },
});

/**
 * Real user credentials carry their token's expiry (`exp`); the mock ones do
 * not. Without it the tenant API (rightly) caches no permission decision, so
 * the bench gives the mock credentials the one-hour expiry of a real token.
 */
const httpAuthWithExpiry = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      issueUserCookie: inner.issueUserCookie.bind(inner),
      async credentials(req: any, options?: any) {
        const credentials = await inner.credentials(req, options);
        return (
          credentials.expiresAt
            ? credentials
            : { ...credentials, expiresAt: new Date(Date.now() + 3600_000) }
        ) as any;
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

async function main() {
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
      authWithPluginActor,
      httpAuthWithExpiry,
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials) {
            const userEntityRef = (credentials.principal as any).userEntityRef;
            return {
              userEntityRef,
              ownershipEntityRefs: owners.get(userEntityRef) ?? [userEntityRef],
            };
          },
        }),
      }),
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
          permission: { enabled: true },
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
  // a token that expires, as real user tokens do (cached decisions live until then)
  const authorization = mockCredentials.user.header(OWNER);
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
  for (const [, url] of routes) {
    const res = await fetch(url, { headers: { authorization } });
    if (res.status !== 200)
      throw new Error(`${url}: ${res.status} ${await res.text()}`);
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
  const rows: Array<{
    route: string;
    rps: number;
    p50: number;
    p99: number;
    errors: number;
  }> = [];
  for (const [route, url] of routes) {
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { authorization },
    });
    rows.push({
      route,
      rps: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx,
    });
  }
  const floor = rows[0].rps;
  const lines = [
    `Tenant API bench: ${CONNECTIONS} connections, ${SECONDS} s per route, ${new Date().toISOString()}`,
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
  await backend.stop();
  await sim.stop();
  await kubecost.stop();
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
