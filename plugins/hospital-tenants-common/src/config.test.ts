import { parseHospitalTenantsConfig } from './config';
import { exampleConfigInput } from './__fixtures__/config';

const parse = (extra: Record<string, unknown>) =>
  parseHospitalTenantsConfig({ ...exampleConfigInput, ...extra });

const dataOf = (extra: Record<string, unknown>) => {
  const result = parse(extra);
  if (!result.success) throw new Error(result.errors.join('\n'));
  return result.data;
};

const errorsOf = (extra: Record<string, unknown>) => {
  const result = parse(extra);
  if (result.success) throw new Error('the configuration was accepted');
  return result.errors;
};

describe('hospitalTenantsConfigSchema: the sections other packages read', () => {
  it('accepts the clusters, provisioning and permissions of app-config.yaml', () => {
    const data = dataOf({
      clusters: {
        management: {
          provisioner: { kubeconfigPath: '.simulators/provisioner.kubeconfig' },
          reader: { tokenFile: '/var/run/secrets/reader/token' },
        },
      },
      provisioning: {
        readyTimeout: { minutes: 10 },
        pollInterval: 'PT2S',
        provisionerServiceAccount: {
          name: 'hospital-tenants-provisioner',
          namespace: 'backstage',
        },
        managementServiceAccountIssuer: { url: 'https://issuer.example' },
      },
      permissions: {
        platformGroup: 'group:default/platform-engineering',
        financeGroup: 'group:default/finance',
      },
    });
    expect(data.permissions?.financeGroup).toBe('group:default/finance');
    expect(data.clusters?.management.reader?.tokenFile).toBe(
      '/var/run/secrets/reader/token',
    );
  });

  it('names the path of a bad cluster URL and of an identity without credentials', () => {
    expect(
      errorsOf({
        clusters: {
          management: {
            url: 'http://kubernetes.example',
            provisioner: {},
          },
        },
      }),
    ).toEqual([
      'hospitalTenants.clusters.management.url: must be an https:// URL',
      'hospitalTenants.clusters.management.provisioner: set token, tokenFile or kubeconfigPath',
    ]);
  });

  it('refuses unknown keys inside a section and an http token issuer', () => {
    expect(
      errorsOf({
        provisioning: {
          readyTimout: { minutes: 1 },
          managementServiceAccountIssuer: { url: 'http://issuer.example' },
        },
        permissions: { adminGroup: 'group:default/x' },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^hospitalTenants\.provisioning: .*readyTimout/),
        'hospitalTenants.provisioning.managementServiceAccountIssuer.url: must be an https URL',
        expect.stringMatching(/^hospitalTenants\.permissions: .*adminGroup/),
      ]),
    );
  });

  it("leaves other features' keys to their own readers (stripped, not passed through)", () => {
    const data = dataOf({ cost: { currency: 'BRL' }, sla: {} });
    expect(data).not.toHaveProperty('cost');
    expect(data).not.toHaveProperty('sla');
  });
});
