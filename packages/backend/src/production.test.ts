import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import {
  IdentityProvider,
  loadOrgPeople,
  REFUSED_TEST_ACCOUNTS,
  startIdentityProvider,
  signInThroughBrowser,
  startClusterSimulator,
  ClusterSimulator,
} from '@prontuario/upstream-simulators';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import signalsPlugin from '@backstage/plugin-signals-backend';
import { portalFeatures } from './features';

/**
 * The backend as production starts it: the same feature list as index.ts,
 * app-config.yaml + app-config.production.yaml with their environment
 * variables, PostgreSQL 15, the real auth, httpAuth, httpRouter, permissions,
 * userInfo and auditor services, and the local identity provider (in
 * process) as the OIDC issuer. The operator's org file is a temporary one.
 */

const repoRoot = path.resolve(__dirname, '../../..');
// Production's BACKEND_BASE_URL: the redirect URI the IdP knows. The test
// backend listens on a free port; the test carries the callback there.
const BACKEND_BASE_URL = 'http://localhost:7007';
const CALLBACK = `${BACKEND_BASE_URL}/api/auth/oidc/handler/frame`;
const APP_BASE_URL = 'http://localhost:3000';
const CLIENT = {
  clientId: 'portal-production-test',
  clientSecret: crypto.randomBytes(24).toString('base64url'),
  redirectUris: [CALLBACK],
};

const OPERATOR_ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform-engineering }
spec: { type: team, children: [], members: [olga.operator] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: hospital-santa-maria
  annotations: { hospital-tenants.io/cluster-group: 'hospital:hospital-santa-maria' }
spec: { type: hospital, children: [], members: [sofia.santamaria] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: olga.operator }
spec:
  profile: { displayName: Olga Operator, email: olga@prontuario.example }
  memberOf: [platform-engineering]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: sofia.santamaria }
spec:
  profile: { displayName: Sofia, email: sofia@santamaria.example }
  memberOf: [hospital-santa-maria]
`;

const logLines: string[] = [];

/** Collects every log line, to check what production would write. */
function capturingLogger(fields: Record<string, unknown> = {}): LoggerService {
  const write = (level: string) => (message: string, meta?: Error | object) => {
    logLines.push(
      JSON.stringify({ level, message, ...fields, ...(meta ?? {}) }),
    );
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: meta => capturingLogger({ ...fields, ...meta }),
  };
}

const rootLoggerFactory = createServiceFactory({
  service: coreServices.rootLogger,
  deps: {},
  factory: () => capturingLogger() as any,
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

jest.setTimeout(180_000);

describe('the backend with the production configuration', () => {
  let idp: IdentityProvider;
  let sim: ClusterSimulator;
  let server: Parameters<typeof request>[0];
  let tmp: string;
  let data: any;
  let productionTenantOidc: any;
  const cwd = process.cwd();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-production-'));
    const orgFile = path.join(tmp, 'org.yaml');
    fs.writeFileSync(orgFile, OPERATOR_ORG);

    idp = await startIdentityProvider({
      port: 0,
      people: [...loadOrgPeople(orgFile), ...REFUSED_TEST_ACCOUNTS],
      clients: [CLIENT],
    });
    sim = await startClusterSimulator({ port: 0, outDir: tmp });

    Object.assign(process.env, {
      APP_BASE_URL,
      BACKEND_BASE_URL,
      POSTGRES_HOST: 'unused',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: 'unused',
      POSTGRES_PASSWORD: 'unused',
      REDIS_URL: 'redis://unused:6379',
      AUTH_SESSION_SECRET: crypto.randomBytes(24).toString('base64url'),
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      OIDC_ALLOWED_EMAIL_DOMAIN: 'santamaria.example',
      OIDC_KUBERNETES_CLIENT_ID: 'prontuario-tenants',
      OIDC_ISSUER_EGRESS_CIDR: '10.9.0.10/32',
      ORG_CATALOG_TYPE: 'file',
      ORG_CATALOG_TARGET: orgFile,
      PROVISIONER_KUBECONFIG: path.join(tmp, 'provisioner.kubeconfig'),
      READER_KUBECONFIG: path.join(tmp, 'reader.kubeconfig'),
    });
    const { appConfigs } = await loadConfig({
      configRoot: repoRoot,
      configTargets: [
        { path: path.join(repoRoot, 'app-config.yaml') },
        { path: path.join(repoRoot, 'app-config.production.yaml') },
      ],
    });
    data = ConfigReader.fromConfigs(appConfigs).get() as any;
    productionTenantOidc = structuredClone(
      data.hospitalTenants.regions['southamerica-east1'].environments.production
        .oidc,
    );
    // The redirect URI production derives from BACKEND_BASE_URL; the test
    // backend listens elsewhere and signIn() carries the callback there.
    data.auth.providers.oidc.production.callbackUrl = CALLBACK;
    // Tenant API servers need an https issuer; the in-process one is http.
    data.hospitalTenants.regions[
      'southamerica-east1'
    ].environments.production.oidc.issuerUrl = 'https://issuer.test';
    // PostgreSQL 15 from TestDatabases, one schema per plugin in its database
    const knex = await databases.init('POSTGRES_15');
    const pg = new URL(
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING!,
    );
    data.backend.database = {
      client: 'pg',
      connection: {
        host: pg.hostname,
        port: Number(pg.port),
        user: decodeURIComponent(pg.username),
        password: decodeURIComponent(pg.password),
        database: (knex.client as any).config.connection.database,
      },
      pluginDivisionMode: 'schema',
    };
    // production runs from the repository root (catalog file locations)
    process.chdir(repoRoot);

    const backend = await startTestBackend({
      features: [
        // all but signals: its WebSockets need the HTTP server of a real
        // root router, which startTestBackend replaces
        ...portalFeatures.filter(feature => feature !== signalsPlugin),
        mockServices.rootConfig.factory({ data }),
        databaseServiceFactory,
        rootLoggerFactory,
        authServiceFactory,
        httpAuthServiceFactory,
        permissionsServiceFactory,
        userInfoServiceFactory,
        auditorServiceFactory,
      ],
    });
    server = backend.server;

    // Wait until the catalog has read the operator's org file: until Sofia
    // can sign in.
    let lastPayload: any;
    await pollUntil(
      async () => {
        lastPayload = (await signIn('sofia.santamaria')).payload;
        return lastPayload?.response ? true : undefined;
      },
      {
        timeoutMs: 90_000,
        intervalMs: 1000,
        onTimeout: () => {
          throw new Error(
            `Sofia could not sign in: ${JSON.stringify(lastPayload?.error)}`,
          );
        },
      },
    );
  });

  afterAll(async () => {
    process.chdir(cwd);
    await idp?.stop();
    await sim?.stop();
  });

  /** The OIDC popup flow as a browser runs it, against the test backend. */
  async function signIn(login: string, state?: (s: string) => string) {
    const agent = request.agent(server);
    const start = await agent
      .get('/api/auth/oidc/start')
      .query({ env: 'production', flow: 'popup', origin: APP_BASE_URL });
    expect(start.status).toBe(302);
    const authorizationUrl = new URL(start.headers.location);
    if (state) {
      authorizationUrl.searchParams.set(
        'state',
        state(authorizationUrl.searchParams.get('state')!),
      );
    }
    const back = await signInThroughBrowser(authorizationUrl.toString(), login);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    const frame = await agent.get(`/api/auth/oidc/handler/frame${back.search}`);
    // the popup page posts this to the opener
    const match = /decodeURIComponent\('([^']*)'\)/.exec(frame.text);
    const payload = match
      ? JSON.parse(decodeURIComponent(match[1]))
      : undefined;
    return { agent, frame, payload };
  }

  it('signs an allowed, known person in through the identity provider', async () => {
    const { payload, agent } = await signIn('sofia.santamaria');
    expect(payload?.type).toBe('authorization_response');
    expect(payload.response.backstageIdentity.identity).toMatchObject({
      userEntityRef: 'user:default/sofia.santamaria',
      ownershipEntityRefs: expect.arrayContaining([
        'group:default/hospital-santa-maria',
      ]),
    });
    // a reload: the refresh cookie signs her in again
    const refresh = await agent
      .get('/api/auth/oidc/refresh')
      .query({ env: 'production' })
      .set('x-requested-with', 'XMLHttpRequest');
    expect(refresh.status).toBe(200);
  });

  it.each([
    ['test.unverified', /did not supply a verified e-mail address/],
    ['test.foreign', /domain may not sign in/],
    ['test.unknown', /no portal user has your e-mail address/],
    ['test.plus-address', /no portal user has your e-mail address/],
    // in the org file but not in the production allow-list
    ['olga.operator', /domain may not sign in/],
  ])('refuses %s with a clear message', async (login, message) => {
    const { payload, agent } = await signIn(login);
    expect(payload?.type).toBe('authorization_response');
    expect(payload.error?.name).toBe('NotAllowedError');
    expect(payload.error?.message).toMatch(message);
    const refresh = await agent
      .get('/api/auth/oidc/refresh')
      .query({ env: 'production' })
      .set('x-requested-with', 'XMLHttpRequest');
    expect(refresh.status).toBe(401);
  });

  it('signs nobody in from a callback with a wrong state', async () => {
    // Backstage's state is hex-encoded `nonce=…&env=…&origin=…`
    const { frame, payload, agent } = await signIn('sofia.santamaria', s =>
      Buffer.from(
        Buffer.from(s, 'hex')
          .toString()
          .replace(/nonce=[^&]*/, 'nonce=forged'),
      ).toString('hex'),
    );
    expect(frame.text).not.toContain('backstageIdentity');
    expect(payload?.error).toEqual({
      name: 'NotAllowedError',
      message: 'Invalid nonce',
    });
    expect(payload?.response).toBeUndefined();
    const refresh = await agent
      .get('/api/auth/oidc/refresh')
      .query({ env: 'production' })
      .set('x-requested-with', 'XMLHttpRequest');
    expect(refresh.status).toBe(401);
  });

  it('configures no guest, no legacy keys, and the tenants trust the same issuer and groups claim', () => {
    expect(data.auth.providers.guest).toBeUndefined();
    expect(Object.keys(data.auth.providers)).toEqual(['oidc']);
    expect(data.backend.auth?.keys).toBeUndefined();
    expect(data.app.signIn.provider).toBe('oidc');
    expect(productionTenantOidc).toMatchObject({
      issuerUrl: idp.issuer,
      groupsClaim: 'groups',
      usernameClaim: 'email',
    });
    expect(data.auth.providers.oidc.production.metadataUrl).toBe(
      `${idp.issuer}/.well-known/openid-configuration`,
    );
  });

  it('has no guest provider', async () => {
    const res = await request(server)
      .get('/api/auth/guest/refresh')
      .query({ env: 'production' })
      .set('x-requested-with', 'XMLHttpRequest');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe("Unknown auth provider 'guest'");
  });

  it('refuses no token, an unknown static token, a forged, an expired and a foreign token', async () => {
    const catalog = '/api/catalog/entities?limit=1';
    expect((await request(server).get(catalog)).status).toBe(401);
    expect(
      (
        await request(server)
          .get(catalog)
          .set('authorization', 'Bearer an-unknown-static-token')
      ).status,
    ).toBe(401);

    // a real user token with its signature changed
    const { payload } = await signIn('sofia.santamaria');
    const token: string = payload.response.backstageIdentity.token;
    const [header, body] = token.split('.');
    const forged = `${header}.${body}.${Buffer.from('forged').toString(
      'base64url',
    )}`;
    expect(
      (
        await request(server)
          .get(catalog)
          .set('authorization', `Bearer ${forged}`)
      ).status,
    ).toBe(401);
    // the same claims, expired an hour ago, signed by nobody we know
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const expired = [
      header,
      Buffer.from(
        JSON.stringify({
          ...claims,
          exp: Math.floor(Date.now() / 1000) - 3600,
        }),
      ).toString('base64url'),
      token.split('.')[2],
    ].join('.');
    expect(
      (
        await request(server)
          .get(catalog)
          .set('authorization', `Bearer ${expired}`)
      ).status,
    ).toBe(401);
    // the identity provider's own ID token is not a portal token
    const idTokenRes = await request(server)
      .get(catalog)
      .set('authorization', `Bearer ${payload.response.providerInfo.idToken}`);
    expect(idTokenRes.status).toBe(401);

    // and the real token works
    expect(
      (
        await request(server)
          .get(catalog)
          .set('authorization', `Bearer ${token}`)
      ).status,
    ).toBe(200);
  });

  it('reads users and groups from the operator org file, never examples/', async () => {
    const { payload } = await signIn('sofia.santamaria');
    const token: string = payload.response.backstageIdentity.token;
    let users: string[] = [];
    await pollUntil(
      async () => {
        const res = await request(server)
          .get('/api/catalog/entities/by-query')
          .query({ filter: 'kind=user' })
          .set('authorization', `Bearer ${token}`);
        expect(res.status).toBe(200);
        users = res.body.items.map((e: any) => e.metadata.name).sort();
        return users.length >= 2 ? true : undefined;
      },
      // the assertion below says what was read
      { timeoutMs: 60_000, intervalMs: 500, onTimeout: () => true },
    );
    expect(users).toEqual(['olga.operator', 'sofia.santamaria']);
    const locations = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: 'kind=location' })
      .set('authorization', `Bearer ${token}`);
    const targets = JSON.stringify(locations.body.items ?? []);
    expect(targets).not.toContain('examples/org.yaml');
  });

  it('writes no token, secret or stranger e-mail in any log line', () => {
    const all = logLines.join('\n');
    const email = /[\w.+-]+@[\w-]+\.(example|test)/;
    // Production logs at info: no e-mail at all there.
    const production = logLines.filter(
      line => !line.startsWith('{"level":"debug"'),
    );
    expect(production.filter(line => email.test(line))).toEqual([]);
    // At debug, only the catalog's audit of the resolver's own lookup of the
    // person signing in carries an address (theirs).
    for (const line of logLines.filter(l => email.test(l))) {
      expect(JSON.parse(line)).toMatchObject({
        level: 'debug',
        eventId: 'entity-fetch',
        actor: { actorId: 'plugin:auth' },
      });
    }
    expect(all).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(all).not.toContain(CLIENT.clientSecret);
    expect(all).not.toContain(process.env.AUTH_SESSION_SECRET!);
    // sign-ins and refusals are audit events
    expect(all).toContain('"eventId":"sign-in"');
    expect(all).toContain('"reason":"domainNotAllowed"');
  });
});
