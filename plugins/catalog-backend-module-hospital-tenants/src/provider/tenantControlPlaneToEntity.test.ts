import { InputError } from '@backstage/errors';
import { loadReferenceTenants } from '@prontuario/upstream-simulators';
import path from 'node:path';
import { tenantControlPlaneToEntity } from './tenantControlPlaneToEntity';

const repoRoot = path.resolve(__dirname, '../../../..');

/** The TenantControlPlanes the domain core renders for the reference hospitals. */
async function referenceControlPlanes() {
  const tenants = await loadReferenceTenants(repoRoot);
  return tenants.map(
    t => t.management.find(o => o.kind === 'TenantControlPlane')!,
  );
}

describe('tenantControlPlaneToEntity', () => {
  it('maps a rendered TenantControlPlane to its hospital-tenant entity', async () => {
    const tcps = await referenceControlPlanes();
    const santaMaria = tcps.find(
      t => t.metadata.name === 'hospital-santa-maria',
    )!;

    const entity = tenantControlPlaneToEntity(santaMaria);

    expect(entity).toMatchObject({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'hospital-santa-maria',
        namespace: 'default',
        title: 'Hospital Santa Maria',
        annotations: {
          'hospital-tenants.io/tenant-id': 'hospital-santa-maria',
          'hospital-tenants.io/daily-users': '500',
          'hospital-tenants.io/owner': 'group:default/hospital-santa-maria',
          'backstage.io/kubernetes-id': 'hospital-santa-maria',
          'backstage.io/kubernetes-namespace': 'tenant-hospital-santa-maria',
          'backstage.io/managed-by-location':
            'hospital-tenants:hospital-santa-maria',
        },
      },
      spec: {
        type: 'hospital-tenant',
        owner: 'group:default/hospital-santa-maria',
        lifecycle: 'production',
      },
    });
    // Part of no System; its location names no cluster.
    expect(entity.spec).not.toHaveProperty('system');
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-origin-location':
        'hospital-tenants:hospital-santa-maria',
    });
    // every fact annotation of the control plane is copied
    for (const [key, value] of Object.entries(
      santaMaria.metadata.annotations as Record<string, string>,
    ).filter(
      ([k]) =>
        k.startsWith('hospital-tenants.io/') &&
        k !== 'hospital-tenants.io/target-cluster',
    )) {
      expect({ key, value: entity.metadata.annotations?.[key] }).toEqual({
        key,
        value,
      });
    }
    expect(
      entity.metadata.annotations?.['hospital-tenants.io/departments'].split(
        ',',
      ),
    ).toHaveLength(8);
  });

  it('names the bad annotation of a malformed control plane', async () => {
    const [tcp] = await referenceControlPlanes();
    const broken = structuredClone(tcp);
    broken.metadata.annotations['hospital-tenants.io/daily-users'] = 'many';
    expect(() => tenantControlPlaneToEntity(broken)).toThrow(
      new InputError(
        `TenantControlPlane ${tcp.metadata.namespace}/${tcp.metadata.name}: annotation hospital-tenants.io/daily-users must be a positive whole number`,
      ),
    );

    const noOwner = structuredClone(tcp);
    delete noOwner.metadata.annotations['hospital-tenants.io/owner'];
    expect(() => tenantControlPlaneToEntity(noOwner)).toThrow(
      /annotation hospital-tenants.io\/owner is missing/,
    );
  });

  it('refuses a control plane whose label, id or namespace disagree', async () => {
    const [tcp] = await referenceControlPlanes();
    const otherLabel = structuredClone(tcp);
    otherLabel.metadata.labels['hospital-tenants.io/tenant'] = 'someone-else';
    expect(() => tenantControlPlaneToEntity(otherLabel)).toThrow(
      /does not match the hospital-tenants.io\/tenant label "someone-else"/,
    );

    const elsewhere = structuredClone(tcp);
    elsewhere.metadata.namespace = 'kube-system';
    expect(() => tenantControlPlaneToEntity(elsewhere)).toThrow(
      /lives in namespace tenant-/,
    );

    const unlabelled = structuredClone(tcp);
    delete unlabelled.metadata.labels['hospital-tenants.io/tenant'];
    expect(() => tenantControlPlaneToEntity(unlabelled)).toThrow(
      /has no hospital-tenants.io\/tenant label/,
    );
  });
});
