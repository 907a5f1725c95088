/*
 * Test helper: walks the local identity provider's sign-in like a browser
 * (following redirects by hand, keeping cookies) up to the redirect back to
 * the client, and returns that redirect URL.
 */

/**
 * Follows the authorization flow and picks `login` on the sign-in page.
 * For tests.
 *
 * @public
 */
export async function signInThroughBrowser(
  authorizationUrl: string,
  login: string,
): Promise<URL> {
  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  };
  const next = (res: Response, base: string) => {
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      throw new Error(`expected a redirect from ${base}, got ${res.status}`);
    }
    return new URL(location, base).toString();
  };

  const interactionUrl = next(await send(authorizationUrl), authorizationUrl);
  const page = await send(interactionUrl);
  const html = await page.text();
  if (!html.includes(`value="${login}"`)) {
    throw new Error(`the sign-in page does not list ${login}`);
  }
  const loginUrl = `${interactionUrl}/login`;
  const resumeUrl = next(
    await send(loginUrl, {
      method: 'POST',
      body: new URLSearchParams({ login }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
    loginUrl,
  );
  let url = resumeUrl;
  // resume, then possibly another hop, until it leaves the provider
  for (let hops = 0; hops < 5; hops++) {
    const target = next(await send(url), url);
    if (new URL(target).origin !== new URL(authorizationUrl).origin) {
      return new URL(target);
    }
    url = target;
  }
  throw new Error('the identity provider did not redirect back to the client');
}
