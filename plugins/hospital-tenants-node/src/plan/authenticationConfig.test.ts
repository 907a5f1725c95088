import { parse as parseYaml } from 'yaml';
import { planTenantProvisioning } from './planTenantProvisioning';
import { validateTenantSpec } from './buildTenantPlan';
import {
  loadExampleConfig,
  loadReferenceSpec,
} from '../__testUtils__/fixtures';

describe("the tenant API server's authentication configuration", () => {
  const config = loadExampleConfig();
  const spec = validateTenantSpec(
    loadReferenceSpec('hospital-sao-joao.yaml'),
    config,
  );
  const authnOf = (plan: ReturnType<typeof planTenantProvisioning>) =>
    parseYaml(
      (plan.management.find(o => o.kind === 'ConfigMap') as any).data[
        'config.yaml'
      ],
    );

  it('trusts the in-cluster issuer by default, for this tenant only', () => {
    const [, management] = authnOf(planTenantProvisioning(spec, config)).jwt;
    expect(management.issuer).toEqual({
      url: 'https://kubernetes.default.svc.cluster.local',
      audiences: ['hospital-tenants:hospital-sao-joao'],
    });
    expect(management.claimMappings.username).toEqual({
      claim: 'sub',
      prefix: 'management:',
    });
  });

  it('takes the configured issuer and its CA', () => {
    const plan = planTenantProvisioning(spec, config, {
      managementServiceAccountIssuer: {
        url: 'https://container.googleapis.com/v1/projects/p/locations/l/clusters/c',
        certificateAuthority:
          '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
      },
    });
    const [, management] = authnOf(plan).jwt;
    expect(management.issuer).toEqual({
      url: 'https://container.googleapis.com/v1/projects/p/locations/l/clusters/c',
      certificateAuthority:
        '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
      audiences: ['hospital-tenants:hospital-sao-joao'],
    });
    // the rest of the plan is the same
    const plain = planTenantProvisioning(spec, config);
    expect(plan.management.map(o => o.metadata.name)).toEqual(
      plain.management.map(o => o.metadata.name),
    );
  });
});
