/*
 * A real OpenID Connect provider (`oidc-provider`, OpenID-certified) for
 * local development and tests: the portal signs people in through it the way
 * it does through the production identity provider. Authorization code flow
 * with PKCE, RS256 ID tokens, userinfo, refresh tokens, and a development
 * sign-in page that lists the accounts (no passwords).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { renderErrorPage, renderSignInPage } from './loginPage';
import { createMemoryAdapter } from './memoryAdapter';
import type { IdentityPerson } from './people';

/** A client (relying party) the provider knows. @public */
export interface IdentityProviderClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** Options of {@link startIdentityProvider}. @public */
export interface IdentityProviderOptions {
  /** 0 for a free port. */
  port: number;
  /** Default `localhost`: the issuer is `http://<host>:<port>`. */
  host?: string;
  people: IdentityPerson[];
  clients: IdentityProviderClient[];
  /** Access and ID token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
}

/** A running local identity provider. @public */
export interface IdentityProvider {
  /** The issuer, `http://localhost:<port>`. */
  issuer: string;
  /** The discovery document's URL. */
  metadataUrl: string;
  people: IdentityPerson[];
  stop(): Promise<void>;
}

/** The local client Backstage's `oidc` provider uses (app-config.development.yaml). @public */
export const LOCAL_PORTAL_CLIENT: IdentityProviderClient = {
  clientId: 'prontuario-portal',
  // Local development only; production's secret comes from the environment.
  clientSecret: 'local-development-only-client-secret',
  redirectUris: ['http://localhost:7007/api/auth/oidc/handler/frame'],
};

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16_384) {
      throw new Error('form too large');
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Starts the provider; resolves once it listens. @public */
export async function startIdentityProvider(
  options: IdentityProviderOptions,
): Promise<IdentityProvider> {
  const host = options.host ?? 'localhost';
  const people = new Map(options.people.map(p => [p.login, p]));
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host === 'localhost' ? '127.0.0.1' : host, () =>
      resolve(),
    );
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;
  const ttl = options.tokenTtlSeconds ?? 3600;

  const { privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: crypto.randomUUID(),
    use: 'sig',
    alg: 'RS256',
  };

  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    clients: options.clients.map(c => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey as any] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    // ID tokens carry the scope claims too: tenant API servers and kubectl
    // read `email` and `groups` from them.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: ttl,
      IdToken: ttl,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    // A reload keeps the session: Backstage refreshes with this token.
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
    interactions: {
      url: async (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    // The portal is a first-party client: no consent screen.
    loadExistingGrant: async ctx => {
      const { session, client, provider } = ctx.oidc;
      if (!session?.accountId || !client) {
        return undefined;
      }
      const grantId =
        ctx.oidc.result?.consent?.grantId ??
        session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await provider.Grant.find(grantId);
        if (existing) {
          return existing;
        }
      }
      const grant = new provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope('openid offline_access email profile groups');
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, sub) => {
      const person = people.get(sub);
      if (!person) {
        return undefined;
      }
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          name: person.name,
          email: person.email,
          email_verified: person.emailVerified,
          groups: person.groups,
        }),
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out.error, out.error_description);
    },
  };

  const provider = new Provider(issuer, configuration);
  // Never log tokens or e-mails: the provider's own events are not logged.

  const oidcHandler = provider.callback();
  server.on('request', (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          renderErrorPage(
            'invalid_request',
            'This sign-in has expired or is unknown; start again from the portal.',
          ),
        );
      }
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!match) {
      oidcHandler(req, res);
      return;
    }
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== match[1]) {
      throw new Error('interaction mismatch');
    }
    if (req.method === 'GET' && !match[2]) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(renderSignInPage(details.uid, [...people.values()]));
      return;
    }
    if (req.method === 'POST' && match[2]) {
      const login = (await readForm(req)).get('login') ?? '';
      if (!people.has(login)) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(renderErrorPage('access_denied', 'Unknown account.'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: login } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.writeHead(405).end();
  }

  return {
    issuer,
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    people: options.people,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
