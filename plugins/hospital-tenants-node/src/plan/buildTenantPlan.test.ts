import { parse as parseYaml } from 'yaml';
import { InputError } from '@backstage/errors';
import {
  BACKSTAGE_KUBERNETES_ID,
  TARGET_CLUSTER_ANNOTATION,
  TENANT_ANNOTATIONS,
  TENANT_LABEL,
} from '@prontuario/plugin-hospital-tenants-common';
import { validateObject } from '@prontuario/tenant-schema-validators';
import {
  loadExampleConfig,
  loadReferenceSpec,
  REFERENCE_SPEC_FILES,
} from '../__testUtils__/fixtures';
import { planTenant } from './buildTenantPlan';
import { listPlanObjects, renderPlanYaml } from './renderPlanYaml';

const config = loadExampleConfig();

describe.each(REFERENCE_SPEC_FILES)('plan of %s', file => {
  const plan = planTenant(loadReferenceSpec(file), config);
  const slug = plan.spec.slug;
  const tcp = plan.management.find(o => o.kind === 'TenantControlPlane') as any;

  it('validates every manifest against the real schemas', async () => {
    for (const { object } of listPlanObjects(plan)) {
      const result = await validateObject(object);
      expect({
        object: `${object.kind}/${object.metadata.name}`,
        ...result,
      }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        valid: true,
        errors: [],
      });
    }
  });

  it('labels every object with the tenant and marks its target cluster', () => {
    for (const { target, object } of listPlanObjects(plan)) {
      expect(object.metadata.labels?.[TENANT_LABEL]).toBe(slug);
      expect(object.metadata.annotations?.[TARGET_CLUSTER_ANNOTATION]).toBe(
        target,
      );
    }
  });

  it('renders the TenantControlPlane as the real CRD defines it', () => {
    expect(tcp.apiVersion).toBe('kamaji.clastix.io/v1alpha1');
    expect(tcp.metadata).toMatchObject({
      name: slug,
      namespace: `tenant-${slug}`,
    });
    expect(tcp.spec.dataStore).toBe('postgresql-gold');
    expect(tcp.spec.kubernetes.kubelet).toBeDefined();
    expect(tcp.spec.kubernetes.admissionControllers).not.toContain(
      'PodSecurityPolicy',
    );
    expect(tcp.spec.kubernetes.admissionControllers).toContain('PodSecurity');
    expect(tcp.spec.networkProfile.loadBalancerSourceRanges).toEqual([
      '10.1.0.0/16',
    ]);
    expect(tcp.spec.controlPlane.service.serviceType).toBe('LoadBalancer');
    for (const component of [
      'apiServer',
      'controllerManager',
      'scheduler',
      'kine',
    ]) {
      const r = tcp.spec.controlPlane.deployment.resources[component];
      expect(r.limits).toEqual(r.requests);
    }
    expect(
      tcp.spec.controlPlane.deployment.additionalMetadata.labels[
        BACKSTAGE_KUBERNETES_ID
      ],
    ).toBe(slug);
    expect(
      tcp.spec.controlPlane.deployment.podAdditionalMetadata.labels[
        BACKSTAGE_KUBERNETES_ID
      ],
    ).toBe(slug);
    expect(tcp.metadata.annotations).toMatchObject({
      [TENANT_ANNOTATIONS.displayName]: plan.spec.displayName,
      [TENANT_ANNOTATIONS.dailyUsers]: String(plan.spec.dailyUsers),
      [TENANT_ANNOTATIONS.departments]: plan.spec.departments.join(','),
      [TENANT_ANNOTATIONS.monthlyBudgetBrl]: String(plan.spec.monthlyBudgetBrl),
      [TENANT_ANNOTATIONS.slaP95Seconds]: '2',
      [TENANT_ANNOTATIONS.slaAvailability]: '99.9',
      [TENANT_ANNOTATIONS.slaThroughputRps]: '1000',
      [TENANT_ANNOTATIONS.owner]: `group:default/${slug}`,
      [TENANT_ANNOTATIONS.kubernetesVersion]: 'v1.35.7',
    });
    // authentication through the plan's structured configuration (the
    // --oidc-* flags cannot be combined with --authentication-config)
    expect(tcp.spec.controlPlane.deployment.extraArgs.apiServer).toEqual([
      '--authentication-config=/etc/hospital-tenants/authentication/config.yaml',
    ]);
    expect(tcp.spec.controlPlane.deployment.additionalVolumes).toEqual([
      {
        name: 'hospital-tenants-authentication',
        configMap: { name: 'hospital-tenants-authentication' },
      },
    ]);
    const cm: any = plan.management.find(o => o.kind === 'ConfigMap');
    expect(cm.immutable).toBe(true);
    const authn = parseYaml(cm.data['config.yaml']);
    expect(authn.kind).toBe('AuthenticationConfiguration');
    expect(authn.jwt.map((j: any) => j.issuer)).toEqual([
      { url: 'https://accounts.google.com', audiences: ['prontuario-tenants'] },
      {
        url: 'https://kubernetes.default.svc.cluster.local',
        audiences: [`hospital-tenants:${plan.spec.slug}`],
      },
    ]);
    expect(authn.jwt[0].claimMappings).toEqual({
      username: { claim: 'email', prefix: 'oidc:' },
      groups: { claim: 'groups', prefix: 'oidc:' },
    });
    expect(authn.jwt[1].claimValidationRules[0].expression).toBe(
      "claims.sub == 'system:serviceaccount:backstage:hospital-tenants-tenant-checker'",
    );
  });

  it('orders each layer for apply: namespaces first, the control plane last', () => {
    expect(plan.management[0].kind).toBe('Namespace');
    expect(plan.management[plan.management.length - 1].kind).toBe(
      'TenantControlPlane',
    );
    // department by department, then the portal's read-only access
    const departments = plan.tenant.slice(0, -2);
    const firstOfEach = plan.spec.departments.map(
      (_, i) =>
        departments[i * (departments.length / plan.spec.departments.length)],
    );
    expect(firstOfEach.every(o => o.kind === 'Namespace')).toBe(true);
    expect(plan.tenant.filter(o => o.kind === 'RoleBinding')).toHaveLength(
      plan.spec.departments.length,
    );
    expect(plan.tenant.slice(-2).map(o => [o.kind, o.metadata.name])).toEqual([
      ['ClusterRole', 'hospital-tenants-isolation-reader'],
      ['ClusterRoleBinding', 'hospital-tenants-isolation-reader'],
    ]);
  });

  it('renders multi-document YAML with a target comment per document', () => {
    const yaml = renderPlanYaml(plan);
    const documents = yaml.split(/^---$/m).slice(1);
    expect(documents).toHaveLength(plan.management.length + plan.tenant.length);
    expect(
      documents.filter(d => d.includes('# target: management-cluster')),
    ).toHaveLength(plan.management.length);
    expect(
      documents.filter(d => d.includes('# target: tenant-cluster')),
    ).toHaveLength(plan.tenant.length);
  });
});

describe('bad input', () => {
  const good = loadReferenceSpec('hospital-sao-joao.yaml') as Record<
    string,
    unknown
  >;

  it.each([
    ['slug', { slug: 'Hospital São João' }, /slug: must be a DNS-1035 label/],
    ['dailyUsers', { dailyUsers: -5 }, /dailyUsers: must be at least 1/],
    [
      'departments',
      { departments: [] },
      /departments: must list at least one department/,
    ],
    [
      'dataStore',
      { dataStore: 'mysql-bronze' },
      /dataStore: must be one of the DataStores configured/,
    ],
    [
      'kubernetesVersion',
      { kubernetesVersion: 'v1.28.0' },
      /kubernetesVersion: must be one of the supported versions/,
    ],
    [
      'approvedExternalApiCidrs',
      { approvedExternalApiCidrs: ['192.168.10.0/24'] },
      /approvedExternalApiCidrs\[0\]: .*private or reserved/,
    ],
  ])(
    '%s: throws an InputError naming the field and renders nothing',
    (_f, patch, message) => {
      let plan: unknown;
      let error: unknown;
      try {
        plan = planTenant({ ...good, ...patch }, config);
      } catch (e) {
        error = e;
      }
      expect(plan).toBeUndefined();
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
    },
  );
});
