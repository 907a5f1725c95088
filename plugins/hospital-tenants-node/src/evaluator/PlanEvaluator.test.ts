import { planTenant } from '../plan/buildTenantPlan';
import { listPlanObjects } from '../plan/renderPlanYaml';
import { KubernetesObject, TargetedObject } from '../plan/types';
import {
  dataStoreDrivers,
  loadExampleConfig,
  loadReferenceSpec,
} from '../__testUtils__/fixtures';
import { PlanEvaluator, TrafficEndpoint } from './PlanEvaluator';

// The evaluator's own negative controls: each check must be able to fail
// when the plan is broken in the way it guards against.
const config = loadExampleConfig();
const plan = planTenant(
  loadReferenceSpec('real-hospital-portugues.yaml'),
  config,
);
const slug = plan.spec.slug;
const drivers = dataStoreDrivers(config);

function evaluatorWith(edit: (objects: TargetedObject[]) => TargetedObject[]) {
  const objects = edit(
    listPlanObjects(plan).map(o => ({
      target: o.target,
      object: JSON.parse(JSON.stringify(o.object)) as KubernetesObject,
    })),
  );
  return new PlanEvaluator(objects, { dataStoreDrivers: drivers });
}

const stranger: TrafficEndpoint = {
  cluster: 'tenant-cluster',
  namespace: 'random-namespace',
  podLabels: { app: 'x' },
};
const cardiologia: TrafficEndpoint = {
  cluster: 'tenant-cluster',
  namespace: 'cardiologia',
  podLabels: { app: 'prontuario' },
};
const hospital = { groups: [`oidc:${slug}`] };

describe('PlanEvaluator', () => {
  it('denies by default only while the plan has the policies', () => {
    const intact = evaluatorWith(o => o);
    expect(
      intact.isTrafficAdmitted({ from: stranger, to: cardiologia, port: 80 }),
    ).toBe(false);
    const noPolicies = evaluatorWith(objects =>
      objects.filter(
        o =>
          !(
            o.object.kind === 'NetworkPolicy' &&
            o.object.metadata.namespace === 'cardiologia'
          ),
      ),
    );
    expect(
      noPolicies.isTrafficAdmitted({
        from: stranger,
        to: cardiologia,
        port: 80,
      }),
    ).toBe(true);
  });

  it('notices a policy that opens ingress to everyone', () => {
    const open = evaluatorWith(objects => [
      ...objects,
      {
        target: 'tenant-cluster',
        object: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'oops', namespace: 'cardiologia' },
          spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] },
        },
      },
    ]);
    expect(
      open.isTrafficAdmitted({ from: stranger, to: cardiologia, port: 80 }),
    ).toBe(true);
    expect(
      open.isTrafficAdmitted({
        from: { cluster: 'tenant-cluster', ip: '8.8.8.8' },
        to: cardiologia,
        port: 80,
      }),
    ).toBe(true);
  });

  it('sees RBAC wildcards and cluster-wide bindings', () => {
    const intact = evaluatorWith(o => o);
    const target = {
      apiGroup: 'networking.k8s.io',
      resource: 'networkpolicies',
      namespace: 'cardiologia',
    };
    expect(intact.can('tenant-cluster', hospital, 'delete', target)).toBe(
      false,
    );
    expect(
      intact.can('tenant-cluster', hospital, 'create', {
        apiGroup: '',
        resource: 'pods',
        namespace: 'cardiologia',
      }),
    ).toBe(true);
    const wildcard = evaluatorWith(objects =>
      objects.map(o => {
        if (
          o.object.kind === 'Role' &&
          o.object.metadata.namespace === 'cardiologia'
        ) {
          (o.object as any).rules.push({
            apiGroups: ['*'],
            resources: ['*'],
            verbs: ['*'],
          });
        }
        return o;
      }),
    );
    expect(wildcard.can('tenant-cluster', hospital, 'delete', target)).toBe(
      true,
    );
    const clusterAdmin = evaluatorWith(objects => [
      ...objects,
      {
        target: 'management-cluster',
        object: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'admin-ish' },
          rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
        },
      },
      {
        target: 'management-cluster',
        object: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'oops' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'admin-ish',
          },
          subjects: [{ kind: 'Group', name: `oidc:${slug}` }],
        },
      },
    ]);
    expect(
      clusterAdmin.can('management-cluster', hospital, 'get', {
        apiGroup: '',
        resource: 'secrets',
        namespace: `tenant-${slug}`,
      }),
    ).toBe(true);
  });

  it('finds a quota that cannot hold the surge and a container over the LimitRange', () => {
    const intact = evaluatorWith(o => o);
    expect(intact.quotaSurgeViolations(slug)).toEqual([]);
    const tight = evaluatorWith(objects =>
      objects.map(o => {
        if (
          o.object.kind === 'ResourceQuota' &&
          o.object.metadata.namespace === `tenant-${slug}`
        ) {
          (o.object as any).spec.hard.pods = '2';
          (o.object as any).spec.hard['requests.cpu'] = '2';
        }
        return o;
      }),
    );
    expect(tight.quotaSurgeViolations(slug)).toEqual([
      'requests.cpu: quota 2 < 5000 needed at full surge',
      'pods: quota 2 < 4 needed at full surge',
    ]);
    const bigApiServer = evaluatorWith(objects =>
      objects.map(o => {
        if (o.object.kind === 'TenantControlPlane') {
          const r = (o.object as any).spec.controlPlane.deployment.resources
            .apiServer;
          r.requests.cpu = '4';
          r.limits.cpu = '8';
        }
        return o;
      }),
    );
    const cp = bigApiServer.controlPlaneContainers(slug);
    expect(
      bigApiServer.limitRangeViolations(
        'management-cluster',
        cp.namespace,
        cp.containers[0],
      ),
    ).toEqual([
      'kube-apiserver: cpu limit 8 above max 500m',
      'kube-apiserver: cpu limit/request above 1',
    ]);
  });

  it('counts the kine init container for SQL DataStores', () => {
    const intact = evaluatorWith(o => o);
    const cp = intact.controlPlaneContainers(slug);
    expect(cp.containers.map(c => c.name)).toContain('kine');
    expect(cp.initContainers.map(c => c.name)).toEqual(['chmod']);
    expect(
      intact.admitContainer('management-cluster', cp.namespace, {
        name: 'chmod',
      }),
    ).toEqual({
      name: 'chmod',
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '50m', memory: '64Mi' },
    });
  });
});
