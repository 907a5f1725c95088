import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  hospitalTenantsPermissions,
  tenantProvisionPermission,
} from './permissions';

describe('permissions', () => {
  it('defines the suite permissions with the pinned names and types', () => {
    expect(hospitalTenantsPermissions.map(p => p.name)).toEqual([
      'hospital-tenants.tenant.provision',
      'hospital-tenants.tenant.read',
      'hospital-tenants.cost.read',
      'hospital-tenants.sla.read',
    ]);
    expect(tenantProvisionPermission.type).toBe('basic');
    for (const permission of hospitalTenantsPermissions.slice(1)) {
      expect(isResourcePermission(permission, 'hospital-tenant')).toBe(true);
    }
  });
});
