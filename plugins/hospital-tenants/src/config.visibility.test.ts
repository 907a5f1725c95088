/**
 * @jest-environment node
 */
import { loadConfigSchema } from '@backstage/config-loader';
import {
  exampleAppConfig,
  frontendVisibleConfig,
} from './__testUtils__/fixtures';

// What reaches the browser is decided by the `@visibility frontend` marks in
// the config.d.ts files. These tests run the real config-loader over the
// example configuration (plus cluster credentials) and compare the result
// with exactly the subset the form needs.
describe('hospitalTenants configuration visible to the browser', () => {
  const withSecrets = () => {
    const config = exampleAppConfig() as any;
    config.app = { baseUrl: 'http://localhost:3000' };
    config.backend = {
      baseUrl: 'http://localhost:7007',
      listen: { port: 7007 },
    };
    config.hospitalTenants.clusters = {
      management: {
        url: 'https://management.example.test',
        caData: 'Q0EK',
        provisioner: { token: 'provisioner-token' },
        reader: { token: 'reader-token' },
      },
    };
    return config;
  };

  async function frontendConfig(packageName: string) {
    const schema = await loadConfigSchema({ dependencies: [packageName] });
    const [visible] = await schema.process(
      [{ data: withSecrets(), context: 'test' }],
      { visibility: ['frontend'] },
    );
    return { hospitalTenants: visible?.data.hospitalTenants };
  }

  it('the node library marks exactly the keys the form needs', async () => {
    expect(
      await frontendConfig('@prontuario/plugin-hospital-tenants-node'),
    ).toEqual(frontendVisibleConfig());
  }, 60_000);

  it("the frontend plugin's own schema (what the app bundles) exposes the same keys", async () => {
    const visible = await frontendConfig('@prontuario/plugin-hospital-tenants');
    expect(visible).toEqual(frontendVisibleConfig());
    const text = JSON.stringify(visible);
    for (const hidden of [
      'management.example.test',
      'token',
      'workerCidrs',
      '10.1.0.0/16',
      'network',
      'oidc',
      'podCidrs',
      'platformCidrs',
    ]) {
      expect(text).not.toContain(hidden);
    }
  }, 60_000);
});
