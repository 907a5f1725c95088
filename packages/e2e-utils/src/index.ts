/**
 * Helpers shared by the portal's Playwright end-to-end suites (one project,
 * one portal start: see the root playwright.config.ts).
 *
 * @packageDocumentation
 */

export {
  signInAsGuest,
  guestToken,
  tenantEntityAsGuest,
  BACKEND_URL,
} from './signIn';
export {
  signInAs,
  pickInIdentityProvider,
  storageStatePath,
  oidcToken,
} from './signInAs';
export type { PortalUser } from './signInAs';
