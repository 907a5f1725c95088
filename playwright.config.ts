import { defineConfig } from '@playwright/test';

/**
 * One Playwright project and one portal start for every end-to-end suite in
 * the repo (`packages/*\/e2e-tests` and `plugins/*\/e2e-tests`).
 *
 * The portal is started with the README's start command (SQLite, guest
 * sign-in, local simulators) unless one is already running on :3000/:7007.
 * The browser is the system's Chromium: nothing is downloaded.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: ['{packages,plugins}/*/e2e-tests/**/*.test.ts'],
  testIgnore: ['**/node_modules/**'],
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/e2e-results.json' }],
  ],
  // Waits for the portal and signs each person in once (storageState).
  globalSetup: './e2e/globalSetup.ts',
  webServer: {
    command: 'yarn start',
    url: 'http://localhost:7007/.backstage/health/v1/readiness',
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  outputDir: 'test-results/e2e',
  projects: [{ name: 'portal' }],
});
