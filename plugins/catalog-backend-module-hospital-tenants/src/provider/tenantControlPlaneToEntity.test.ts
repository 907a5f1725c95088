import { InputError } from '@backstage/errors';
import { loadReferenceTenants } from '@prontuario/upstream-simulators';
import path from 'node:path';
import { tenantControlPlaneToEntity } from './tenantControlPlaneToEntity';

const repoRoot = path.resolve(__dirname, '../../../..');
const clusterUrl = 'https://127.0.0.1:7443';

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

    const entity = tenantControlPlaneToEntity(santaMaria, { clusterUrl });

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
          'backstage.io/managed-by-location': `url:${clusterUrl}/apis/kamaji.clastix.io/v1alpha1/namespaces/tenant-hospital-santa-maria/tenantcontrolplanes/hospital-santa-maria`,
        },
      },
      spec: {
        type: 'hospital-tenant',
        owner: 'group:default/hospital-santa-maria',
        system: 'system:default/prontuario-medico',
        lifecycle: 'production',
      },
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
    expect(() => tenantControlPlaneToEntity(broken, { clusterUrl })).toThrow(
      new InputError(
        `TenantControlPlane ${tcp.metadata.namespace}/${tcp.metadata.name}: annotation hospital-tenants.io/daily-users must be a positive whole number`,
      ),
    );

    const noOwner = structuredClone(tcp);
    delete noOwner.metadata.annotations['hospital-tenants.io/owner'];
    expect(() => tenantControlPlaneToEntity(noOwner, { clusterUrl })).toThrow(
      /annotation hospital-tenants.io\/owner is missing/,
    );
  });

  it('refuses a control plane whose label, id or namespace disagree', async () => {
    const [tcp] = await referenceControlPlanes();
    const otherLabel = structuredClone(tcp);
    otherLabel.metadata.labels['hospital-tenants.io/tenant'] = 'someone-else';
    expect(() =>
      tenantControlPlaneToEntity(otherLabel, { clusterUrl }),
    ).toThrow(
      /does not match the hospital-tenants.io\/tenant label "someone-else"/,
    );

    const elsewhere = structuredClone(tcp);
    elsewhere.metadata.namespace = 'kube-system';
    expect(() => tenantControlPlaneToEntity(elsewhere, { clusterUrl })).toThrow(
      /lives in namespace tenant-/,
    );

    const unlabelled = structuredClone(tcp);
    delete unlabelled.metadata.labels['hospital-tenants.io/tenant'];
    expect(() =>
      tenantControlPlaneToEntity(unlabelled, { clusterUrl }),
    ).toThrow(/has no hospital-tenants.io\/tenant label/);
  });
});
