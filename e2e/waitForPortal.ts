/**
 * Playwright global setup: the webServer entry waits for the backend; this
 * also waits until the frontend dev server answers, so the first test does
 * not race the initial bundle.
 */
export default async function waitForPortal() {
  const url = process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000';
  const deadline = Date.now() + 240_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) {
        return;
      }
      lastError = new Error(`${url} answered ${res.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`The portal did not start at ${url}: ${String(lastError)}`);
}
