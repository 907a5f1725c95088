import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { searchModuleHospitalTenantsCollator } from './module';

describe('searchModuleHospitalTenantsCollator', () => {
  it('registers the hospital-tenant collator', async () => {
    const addCollator = jest.fn();
    await startTestBackend({
      extensionPoints: [[searchIndexRegistryExtensionPoint, { addCollator }]],
      features: [
        searchModuleHospitalTenantsCollator,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            search: {
              collators: {
                hospitalTenants: {
                  schedule: {
                    frequency: { minutes: 5 },
                    timeout: { minutes: 2 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    expect(addCollator).toHaveBeenCalledTimes(1);
    expect(addCollator.mock.calls[0][0].factory.type).toBe('hospital-tenant');
  });

  it('rejects a broken schedule', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [searchIndexRegistryExtensionPoint, { addCollator: jest.fn() }],
        ],
        features: [
          searchModuleHospitalTenantsCollator,
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({
            data: {
              search: {
                collators: {
                  hospitalTenants: { schedule: { frequency: 'often' } },
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/Invalid schedule at search.collators.hospitalTenants/);
  });
});
