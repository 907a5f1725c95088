import { mockServices } from '@backstage/backend-test-utils';
import { referencePlatformConfig } from '../__testUtils__/tenantApiHarness';
import {
  expectedClusterGroup,
  isolationExpectations,
  readTenantsConfigForIsolation,
} from './expectedClusterGroup';

const logger = mockServices.logger.mock();
const tcp = (region: string, environment: string) => ({
  metadata: {
    annotations: {
      'hospital-tenants.io/region': region,
      'hospital-tenants.io/environment': environment,
    },
  },
});
const configured = () =>
  readTenantsConfigForIsolation(
    mockServices.rootConfig({
      data: { hospitalTenants: referencePlatformConfig() },
    }),
    logger,
  );

describe('expectedClusterGroup', () => {
  it("puts the environment's OIDC groups prefix before the owner's cluster group", () => {
    expect(
      expectedClusterGroup({
        clusterGroup: { name: 'hospital:hospital-sao-joao' },
        tenantsConfig: configured(),
        tcp: tcp('southamerica-east1', 'production'),
      }),
    ).toEqual({ name: 'oidc:hospital:hospital-sao-joao' });
  });

  it('uses no prefix where the environment has no OIDC issuer, as the builder does', () => {
    expect(
      expectedClusterGroup({
        clusterGroup: { name: 'hospital:hospital-sao-joao' },
        tenantsConfig: configured(),
        tcp: tcp('southamerica-east1', 'staging'),
      }),
    ).toEqual({ name: 'hospital:hospital-sao-joao' });
  });

  it('is unknown, with the reason, for every missing piece', () => {
    const tenantsConfig = configured();
    expect(
      expectedClusterGroup({
        clusterGroup: {
          problem: 'the owner group group:default/x is not in the catalog',
        },
        tenantsConfig,
        tcp: tcp('southamerica-east1', 'production'),
      }),
    ).toEqual({
      unknown: 'the owner group group:default/x is not in the catalog',
    });
    expect(
      expectedClusterGroup({
        clusterGroup: { name: 'hospital:x' },
        tenantsConfig,
        tcp: tcp('mars-north1', 'production'),
      }),
    ).toEqual({
      unknown:
        "the control plane's region and environment (mars-north1/production) are not configured, so the OIDC groups prefix is unknown",
    });
    expect(
      expectedClusterGroup({
        clusterGroup: { name: 'hospital:x' },
        tenantsConfig: readTenantsConfigForIsolation(
          mockServices.rootConfig({ data: { hospitalTenants: {} } }),
          logger,
        ),
        tcp: tcp('southamerica-east1', 'production'),
      }),
    ).toEqual({
      unknown:
        'hospitalTenants.regions is not configured, so the OIDC groups prefix of the tenant clusters is unknown',
    });
    expect(
      expectedClusterGroup({
        clusterGroup: { name: 'hospital:x' },
        tenantsConfig: readTenantsConfigForIsolation(
          mockServices.rootConfig({
            data: { hospitalTenants: { regions: { r: 'not a region' } } },
          }),
          logger,
        ),
        tcp: tcp('r', 'production'),
      }),
    ).toEqual({
      unknown:
        'the hospitalTenants configuration is invalid (see the backend log)',
    });
    expect(
      expectedClusterGroup({
        clusterGroup: undefined,
        tenantsConfig,
        tcp: tcp('southamerica-east1', 'production'),
      }),
    ).toEqual({ unknown: "the tenant's owner group has not been read yet" });
  });
});

describe('isolationExpectations', () => {
  it("takes the platform's namespaces from hospitalTenants.network.management and the api's list", () => {
    const config = mockServices.rootConfig({
      data: {
        hospitalTenants: {
          ...referencePlatformConfig(),
          network: {
            ...referencePlatformConfig().network,
            management: {
              ...referencePlatformConfig().network.management,
              portalNamespace: 'portal',
              monitoringNamespace: 'observability',
            },
          },
          api: {
            isolation: { platformServiceAccountNamespaces: ['gmp-system'] },
          },
        },
      },
    });
    expect(
      isolationExpectations(
        config,
        readTenantsConfigForIsolation(config, logger),
      ),
    ).toMatchObject({
      platformServiceAccountNamespaces: ['portal', 'kamaji-system'],
      platformClusterServiceAccountNamespaces: ['observability', 'gmp-system'],
    });
  });

  it('keeps the defaults without the platform configuration', () => {
    const config = mockServices.rootConfig({ data: {} });
    expect(
      isolationExpectations(
        config,
        readTenantsConfigForIsolation(config, logger),
      ),
    ).toMatchObject({
      platformServiceAccountNamespaces: ['backstage', 'kamaji-system'],
      platformClusterServiceAccountNamespaces: ['monitoring'],
    });
  });
});
