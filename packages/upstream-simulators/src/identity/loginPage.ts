/*
 * The local identity provider's pages: a development sign-in page that lists
 * every account (one button per login, no passwords) and an error page.
 */
import type { IdentityPerson } from './people';

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td{padding:.4rem;border-bottom:1px solid #ddd;vertical-align:top}
button{font:inherit;padding:.3rem .8rem;cursor:pointer}small{color:#555}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head><body>${body}</body></html>`;
}

function rows(uid: string, people: IdentityPerson[]): string {
  return people
    .map(
      p => `<tr><td><form method="post" action="/interaction/${escapeHtml(
        uid,
      )}/login"><button type="submit" name="login" value="${escapeHtml(
        p.login,
      )}">${escapeHtml(p.login)}</button></form></td>
<td>${escapeHtml(p.name)}<br><small>${escapeHtml(p.email)}${
        p.emailVerified ? '' : ' (not verified)'
      }${
        p.groups.length ? ` · groups: ${escapeHtml(p.groups.join(', '))}` : ''
      }${
        p.testOnly ? ` · refused: ${escapeHtml(p.testOnly)}` : ''
      }</small></td></tr>`,
    )
    .join('\n');
}

/** The development sign-in page: one button per account. */
export function renderSignInPage(
  uid: string,
  people: IdentityPerson[],
): string {
  const org = people.filter(p => !p.testOnly);
  const tests = people.filter(p => p.testOnly);
  return page(
    'Local identity provider: sign in',
    `<h1>Local identity provider</h1>
<p>Development only: choose who signs in. The people are those of
<code>examples/org.yaml</code>; there are no passwords.</p>
<table aria-label="People">${rows(uid, org)}</table>
<h2>Test accounts the portal refuses</h2>
<table aria-label="Test accounts">${rows(uid, tests)}</table>`,
  );
}

/** An error page with the OAuth error code and its description. */
export function renderErrorPage(error: string, description?: string): string {
  return page(
    'Sign-in failed',
    `<h1>Sign-in failed</h1><p><strong>${escapeHtml(error)}</strong>${
      description ? `: ${escapeHtml(description)}` : ''
    }</p>`,
  );
}
