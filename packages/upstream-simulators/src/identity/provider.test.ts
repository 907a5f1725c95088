import path from 'node:path';
import { generators, Issuer } from 'openid-client';
import { findRepoRoot } from '../cluster/paths';
import { loadExamplePeople, loadOrgPeople } from './people';
import { IdentityProvider, startIdentityProvider } from './provider';
import { signInThroughBrowser } from './testBrowser';

const root = findRepoRoot(__dirname);
const client = {
  clientId: 'portal-test',
  clientSecret: 'portal-test-secret',
  redirectUris: ['http://localhost:7007/api/auth/oidc/handler/frame'],
};

jest.setTimeout(30_000);

describe('people of the example org', () => {
  it('reads every user with an e-mail and the cluster group of each of their groups', () => {
    const people = loadOrgPeople(path.join(root, 'examples', 'org.yaml'));
    const byLogin = new Map(people.map(p => [p.login, p]));
    expect(byLogin.get('sofia.santamaria')).toEqual({
      login: 'sofia.santamaria',
      name: 'Sofia (Hospital Santa Maria)',
      email: 'sofia@santamaria.example',
      emailVerified: true,
      groups: ['hospital:hospital-santa-maria'],
    });
    expect(byLogin.get('joao.saojoao')?.groups).toEqual([
      'hospital:hospital-sao-joao',
    ]);
    expect(byLogin.get('rita.rhp')?.groups).toEqual([
      'hospital:real-hospital-portugues',
    ]);
    // no cluster-group annotation: the group's name
    expect(byLogin.get('ana.platform')?.groups).toEqual([
      'platform-engineering',
    ]);
    expect(people.every(p => !p.testOnly)).toBe(true);
  });
});

describe('local identity provider', () => {
  let idp: IdentityProvider;

  beforeAll(async () => {
    idp = await startIdentityProvider({
      port: 0,
      people: loadExamplePeople(root),
      clients: [client],
    });
  });
  afterAll(() => idp?.stop());

  async function rp() {
    const issuer = await Issuer.discover(idp.metadataUrl);
    return new issuer.Client({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      response_types: ['code'],
    });
  }

  async function signIn(login: string) {
    const c = await rp();
    const verifier = generators.codeVerifier();
    const state = generators.state();
    const url = c.authorizationUrl({
      scope: 'openid profile email groups offline_access',
      code_challenge: generators.codeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const back = await signInThroughBrowser(url, login);
    const params = c.callbackParams(back.toString());
    const tokens = await c.callback(client.redirectUris[0], params, {
      code_verifier: verifier,
      state,
    });
    return { c, tokens, params, verifier, state };
  }

  it('signs a hospital user in with a verified e-mail, groups and a refresh token', async () => {
    const { c, tokens } = await signIn('sofia.santamaria');
    expect(tokens.claims()).toMatchObject({
      iss: idp.issuer,
      sub: 'sofia.santamaria',
      aud: client.clientId,
      email: 'sofia@santamaria.example',
      email_verified: true,
      groups: ['hospital:hospital-santa-maria'],
    });
    const userinfo = await c.userinfo(tokens);
    expect(userinfo).toMatchObject({
      sub: 'sofia.santamaria',
      name: 'Sofia (Hospital Santa Maria)',
      email: 'sofia@santamaria.example',
      email_verified: true,
    });
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await c.refresh(tokens.refresh_token!);
    expect(refreshed.claims().sub).toBe('sofia.santamaria');
  });

  it('says an unverified e-mail is unverified', async () => {
    const { c, tokens } = await signIn('test.unverified');
    expect(await c.userinfo(tokens)).toMatchObject({
      email_verified: false,
    });
  });

  it('lists every account on its sign-in page and refuses an unlisted login', async () => {
    const c = await rp();
    const url = c.authorizationUrl({
      scope: 'openid',
      code_challenge: generators.codeChallenge(generators.codeVerifier()),
      code_challenge_method: 'S256',
    });
    await expect(signInThroughBrowser(url, 'mallory')).rejects.toThrow(
      'the sign-in page does not list mallory',
    );
  });

  it('requires PKCE and the registered redirect URI', async () => {
    const c = await rp();
    const noPkce = await fetch(c.authorizationUrl({ scope: 'openid' }), {
      redirect: 'manual',
    });
    const location = new URL(noPkce.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');

    const badRedirect = await fetch(
      c.authorizationUrl({
        scope: 'openid',
        redirect_uri: 'http://evil.example/cb',
        code_challenge: generators.codeChallenge(generators.codeVerifier()),
        code_challenge_method: 'S256',
      }),
      { redirect: 'manual' },
    );
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.text()).toContain('redirect_uri');
  });

  it('refuses a code exchanged with the wrong verifier', async () => {
    const c = await rp();
    const state = generators.state();
    const url = c.authorizationUrl({
      scope: 'openid',
      code_challenge: generators.codeChallenge(generators.codeVerifier()),
      code_challenge_method: 'S256',
      state,
    });
    const back = await signInThroughBrowser(url, 'rita.rhp');
    await expect(
      c.callback(client.redirectUris[0], c.callbackParams(back.toString()), {
        code_verifier: generators.codeVerifier(),
        state,
      }),
    ).rejects.toThrow(/invalid_grant/);
  });
});
