import {
  cidrContains,
  departmentNamespaceName,
  parseIpv4Cidr,
  parseTenantSpec,
  resolveEnvironment,
} from '@prontuario/plugin-hospital-tenants-common';
import { buildTenantPlan } from '../plan/buildTenantPlan';
import { KAMAJI_NAME_LABEL } from '../plan/managementLayer';
import { listPlanObjects } from '../plan/renderPlanYaml';
import { TenantPlan } from '../plan/types';
import { dataStoreDrivers, loadExampleConfig } from '../__testUtils__/fixtures';
import fc from 'fast-check';
import { generateSpecs, seededDraw } from '../__testUtils__/generateSpecs';
import { validateObject } from '@prontuario/tenant-schema-validators';
import { PlanEvaluator, TrafficEndpoint } from './PlanEvaluator';

const config = loadExampleConfig();
const SPEC_COUNT = 60;
const draw = seededDraw(7);

const plans: TenantPlan[] = generateSpecs(config, SPEC_COUNT).map(input => {
  const result = parseTenantSpec(input, config);
  if (!result.success) {
    throw new Error(
      `generator produced an invalid spec: ${result.issues
        .map(i => i.message)
        .join('; ')}`,
    );
  }
  return buildTenantPlan(result.spec, config);
});
// Distinct slugs only, so management namespaces do not collide.
const bySlug = new Map(plans.map(p => [p.spec.slug, p]));
const tenants = [...bySlug.values()];
const drivers = dataStoreDrivers(config);
const management = PlanEvaluator.fromPlans(tenants, {
  dataStoreDrivers: drivers,
});

function randomIpIn(cidr: string): string {
  const range = parseIpv4Cidr(cidr)!;
  const ip = draw(fc.integer({ min: range.first, max: range.last }));
  return [24, 16, 8, 0].map(s => (ip >>> s) & 255).join('.');
}

const PRIVATE_FIRST_OCTETS = [10, 100, 127, 169, 172, 192];

function randomPublicIpOutside(cidrs: string[]): string {
  return draw(
    fc
      .tuple(
        fc.integer({ min: 1, max: 223 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 1, max: 254 }),
      )
      .filter(([first]) => !PRIVATE_FIRST_OCTETS.includes(first))
      .map(octets => octets.join('.'))
      .filter(ip => !cidrs.some(c => cidrContains(c, ip))),
  );
}

const tcpPod = (plan: TenantPlan): TrafficEndpoint => ({
  cluster: 'management-cluster',
  namespace: `tenant-${plan.spec.slug}`,
  podLabels: {
    [KAMAJI_NAME_LABEL]: plan.spec.slug,
    'kamaji.clastix.io/component': 'deployment',
  },
  ip: randomIpIn(config.network.management.podCidrs[0]),
});

const mgmtPod = (
  namespace: string,
  podLabels: Record<string, string> = {},
): TrafficEndpoint => ({
  cluster: 'management-cluster',
  namespace,
  podLabels,
  ip: randomIpIn(config.network.management.podCidrs[0]),
});

// Many thousands of checks per tenant: collect the failures and assert once
// per test, so a failure still lists every broken case.
let failures: string[] = [];
function check(actual: boolean, expected: boolean) {
  if (actual !== expected) {
    failures.push(
      new Error(`expected ${expected}`).stack!.split('\n')[2].trim(),
    );
  }
}
beforeEach(() => {
  failures = [];
});

const CONTROL_PLANE_PORTS = [6443, 8132, 10257, 10259];
const SOME_PORTS = [
  22, 53, 80, 443, 2379, 3306, 4222, 5432, 6443, 8080, 8132, 10250, 10257,
  10259,
];

it(`generates ${SPEC_COUNT} valid, diverse specs`, () => {
  expect(tenants.length).toBeGreaterThan(SPEC_COUNT * 0.9);
  const users = tenants.map(p => p.spec.dailyUsers);
  const departments = tenants.map(p => p.spec.departments.length);
  expect(Math.min(...users)).toBe(1);
  expect(Math.max(...users)).toBe(100000);
  expect(Math.min(...departments)).toBe(1);
  expect(Math.max(...departments)).toBe(50);
  expect(Math.max(...tenants.map(p => p.spec.slug.length))).toBe(56);
  expect(tenants.some(p => p.spec.departments.some(d => d.length === 63))).toBe(
    true,
  );
  expect(new Set(tenants.map(p => p.sizing.tier)).size).toBeGreaterThanOrEqual(
    5,
  );
});

it('validates every manifest of every generated plan against the real schemas', async () => {
  const invalid: string[] = [];
  for (const plan of tenants) {
    for (const { object } of listPlanObjects(plan)) {
      const { valid, errors } = await validateObject(object);
      if (!valid) {
        invalid.push(
          `${plan.spec.slug} ${object.kind}/${
            object.metadata.name
          }: ${errors.join('; ')}`,
        );
      }
    }
  }
  expect(invalid).toEqual([]);
});

describe.each(tenants.map(p => [p.spec.slug, p] as const))(
  'tenant %s',
  (_slug, plan) => {
    const slug = plan.spec.slug;
    const env = resolveEnvironment(
      config,
      plan.spec.region,
      plan.spec.environment,
    )!;
    const others = tenants.filter(p => p.spec.slug !== slug).slice(0, 3);
    const dataStore = config.dataStores[plan.spec.dataStore];
    const group = `${env.oidc?.groupsPrefix ?? ''}${plan.spec.clusterGroup}`;
    const mgmt = config.network.management;

    it('control plane: reached by kamaji, the portal, monitoring and its workers only', () => {
      const tcp = tcpPod(plan);
      const allowed = (from: TrafficEndpoint, port: number) =>
        management.isTrafficAdmitted({ from, to: tcp, port });
      for (const port of [6443, 8132]) {
        check(
          allowed(mgmtPod(mgmt.kamajiNamespace, { app: 'kamaji' }), port),
          true,
        );
        check(
          allowed(mgmtPod(mgmt.portalNamespace, { app: 'backstage' }), port),
          true,
        );
      }
      for (const port of [6443, 10257, 10259]) {
        check(
          allowed(
            mgmtPod(mgmt.monitoringNamespace, { app: 'prometheus' }),
            port,
          ),
          true,
        );
      }
      // Workers: through the LoadBalancer (source ranges), which SNATs to a node.
      const worker = randomIpIn(env.workerCidrs[0]);
      check(management.loadBalancerAdmits(slug, worker), true);
      const node: TrafficEndpoint = {
        cluster: 'management-cluster',
        ip: randomIpIn(mgmt.nodeCidrs[0]),
      };
      check(allowed(node, 6443), true);
      check(allowed(node, 8132), true);

      // ... and nothing else.
      check(
        management.loadBalancerAdmits(slug, randomPublicIpOutside([])),
        false,
      );
      check(allowed(mgmtPod(mgmt.monitoringNamespace), 8132), false);
      check(allowed(mgmtPod(mgmt.portalNamespace), 10257), false);
      check(allowed(node, 10250), false);
      for (const port of SOME_PORTS) {
        check(allowed(mgmtPod('default', { app: 'x' }), port), false);
        check(
          allowed({ cluster: 'management-cluster', ip: worker }, port),
          false,
        );
        check(
          allowed(
            { cluster: 'management-cluster', ip: randomPublicIpOutside([]) },
            port,
          ),
          false,
        );
        check(
          allowed(
            {
              cluster: 'tenant-cluster',
              namespace: 'kamaji-system',
              podLabels: {},
            },
            port,
          ),
          false,
        );
      }
      expect(failures).toEqual([]);
    });

    it('nothing admits another tenant, in either direction', () => {
      for (const other of others) {
        for (const port of [...CONTROL_PLANE_PORTS, 53, 5432, 2379]) {
          const mine = tcpPod(plan);
          const theirs = tcpPod(other);
          check(
            management.isTrafficAdmitted({ from: theirs, to: mine, port }),
            false,
          );
          check(
            management.isTrafficAdmitted({ from: mine, to: theirs, port }),
            false,
          );
          // Any other pod of the other tenant's namespace, whatever its labels.
          const stray = mgmtPod(`tenant-${other.spec.slug}`, {
            [KAMAJI_NAME_LABEL]: slug,
          });
          check(
            management.isTrafficAdmitted({ from: stray, to: mine, port }),
            false,
          );
        }
      }
      expect(failures).toEqual([]);
    });

    it('control plane egress: its DataStore, DNS and the OIDC issuer only', () => {
      const from = tcpPod(plan);
      const reach = (
        to: TrafficEndpoint,
        port: number,
        protocol: 'TCP' | 'UDP' = 'TCP',
      ) => management.isTrafficAdmitted({ from, to, port, protocol });
      const dsEndpoint: TrafficEndpoint = dataStore.network.namespace
        ? mgmtPod(dataStore.network.namespace, {
            ...(dataStore.network.podLabels ?? {}),
          })
        : {
            cluster: 'management-cluster',
            ip: randomIpIn(dataStore.network.cidrs![0]),
          };
      check(reach(dsEndpoint, dataStore.network.port), true);
      check(reach(dsEndpoint, 22), false);
      check(
        reach(mgmtPod('kube-system', { 'k8s-app': 'kube-dns' }), 53, 'UDP'),
        true,
      );
      check(
        reach(
          { cluster: 'management-cluster', ip: '169.254.20.10' },
          53,
          'UDP',
        ),
        true,
      );
      if (env.oidc) {
        check(
          reach(
            {
              cluster: 'management-cluster',
              ip: randomIpIn(env.oidc.egressCidrs[0]),
            },
            443,
          ),
          true,
        );
      }
      const other = Object.entries(config.dataStores).find(
        ([name]) => name !== plan.spec.dataStore,
      )!;
      const otherEndpoint: TrafficEndpoint = other[1].network.namespace
        ? mgmtPod(other[1].network.namespace, {
            ...(other[1].network.podLabels ?? {}),
          })
        : {
            cluster: 'management-cluster',
            ip: randomIpIn(other[1].network.cidrs![0]),
          };
      check(reach(otherEndpoint, other[1].network.port), false);
      for (const port of SOME_PORTS) {
        check(reach(mgmtPod(mgmt.portalNamespace), port), false);
        check(
          reach(mgmtPod('kube-system', { component: 'kube-apiserver' }), port),
          false,
        );
        check(
          reach(
            {
              cluster: 'management-cluster',
              ip: randomPublicIpOutside(env.oidc?.egressCidrs ?? []),
            },
            port,
          ),
          false,
        );
        check(
          reach(
            {
              cluster: 'management-cluster',
              ip: randomIpIn(env.workerCidrs[0]),
            },
            port,
          ),
          false,
        );
      }
      expect(failures).toEqual([]);
    });

    it('every department: restricted, default deny both ways, only its platform paths', () => {
      const evaluator = PlanEvaluator.fromPlans([plan], {
        dataStoreDrivers: drivers,
      });
      const namespaces = plan.spec.departments.map(departmentNamespaceName);
      const approved = plan.spec.approvedExternalApiCidrs;
      const pod = (
        namespace: string,
        labels: Record<string, string> = { app: 'prontuario' },
      ): TrafficEndpoint => ({
        cluster: 'tenant-cluster',
        namespace,
        podLabels: labels,
        ip: randomIpIn('10.244.0.0/16'),
      });
      namespaces.forEach((ns, index) => {
        const nsObject = plan.tenant.find(
          o => o.kind === 'Namespace' && o.metadata.name === ns,
        )!;
        expect(
          nsObject.metadata.labels?.['pod-security.kubernetes.io/enforce'],
        ).toBe('restricted');
        const me = pod(ns, { app: `a${draw(fc.integer({ min: 0, max: 9 }))}` });
        const neighbour = namespaces[(index + 1) % namespaces.length];
        const outside = randomPublicIpOutside(approved);
        for (const port of [80, 443, 8080, 5432]) {
          // default deny, both ways
          check(
            evaluator.isTrafficAdmitted({
              from: pod('random-namespace'),
              to: me,
              port,
            }),
            false,
          );
          check(
            evaluator.isTrafficAdmitted({
              from: me,
              to: pod('random-namespace'),
              port,
            }),
            false,
          );
          check(
            evaluator.isTrafficAdmitted({
              from: me,
              to: { cluster: 'tenant-cluster', ip: outside },
              port,
            }),
            false,
          );
          check(
            evaluator.isTrafficAdmitted({
              from: { cluster: 'tenant-cluster', ip: outside },
              to: me,
              port,
            }),
            false,
          );
          // other tenants reach a tenant cluster only by address: their workers and control planes
          for (const other of others) {
            const otherEnv = resolveEnvironment(
              config,
              other.spec.region,
              other.spec.environment,
            )!;
            const theirs = {
              cluster: 'tenant-cluster' as const,
              ip: randomIpIn(otherEnv.workerCidrs[0]),
            };
            check(
              evaluator.isTrafficAdmitted({ from: theirs, to: me, port }),
              false,
            );
            check(
              evaluator.isTrafficAdmitted({ from: me, to: theirs, port }),
              false,
            );
          }
          if (namespaces.length > 1) {
            check(
              evaluator.isTrafficAdmitted({
                from: pod(neighbour),
                to: me,
                port,
              }),
              false,
            );
          }
          // what is allowed
          check(
            evaluator.isTrafficAdmitted({
              from: pod(ns, { other: 'x' }),
              to: me,
              port,
            }),
            true,
          );
          check(
            evaluator.isTrafficAdmitted({
              from: pod('ingress-nginx', { app: 'controller' }),
              to: me,
              port,
            }),
            true,
          );
          check(
            evaluator.isTrafficAdmitted({
              from: me,
              to: pod('platform-services'),
              port,
            }),
            true,
          );
        }
        check(
          evaluator.isTrafficAdmitted({
            from: me,
            to: pod('kube-system', { 'k8s-app': 'kube-dns' }),
            port: 53,
            protocol: 'UDP',
          }),
          true,
        );
        for (const cidr of approved) {
          const api = {
            cluster: 'tenant-cluster' as const,
            ip: randomIpIn(cidr),
          };
          check(
            evaluator.isTrafficAdmitted({ from: me, to: api, port: 443 }),
            true,
          );
          check(
            evaluator.isTrafficAdmitted({ from: me, to: api, port: 80 }),
            false,
          );
          check(
            evaluator.isTrafficAdmitted({ from: api, to: me, port: 443 }),
            false,
          );
        }
      });
      expect(failures).toEqual([]);
    });

    it('the hospital group: no rights in the management layer, cannot weaken its isolation', () => {
      const evaluator = PlanEvaluator.fromPlans([plan], {
        dataStoreDrivers: drivers,
      });
      const subject = {
        user: 'oidc:ana@hospital',
        groups: [group, 'system:authenticated'],
      };
      const mgmtNs = `tenant-${slug}`;
      for (const [apiGroup, resource] of [
        ['', 'secrets'],
        ['', 'pods'],
        ['', 'services'],
        ['', 'namespaces'],
        ['kamaji.clastix.io', 'tenantcontrolplanes'],
        ['networking.k8s.io', 'networkpolicies'],
        ['rbac.authorization.k8s.io', 'rolebindings'],
      ]) {
        for (const verb of [
          'get',
          'list',
          'create',
          'update',
          'patch',
          'delete',
        ]) {
          check(
            evaluator.can('management-cluster', subject, verb, {
              apiGroup,
              resource,
              namespace: mgmtNs,
            }),
            false,
          );
          check(
            evaluator.can('management-cluster', subject, verb, {
              apiGroup,
              resource,
            }),
            false,
          );
        }
      }
      const protectedResources: Array<[string, string]> = [
        ['networking.k8s.io', 'networkpolicies'],
        ['', 'resourcequotas'],
        ['', 'limitranges'],
        ['', 'namespaces'],
        ['rbac.authorization.k8s.io', 'roles'],
        ['rbac.authorization.k8s.io', 'rolebindings'],
        ['rbac.authorization.k8s.io', 'clusterroles'],
        ['rbac.authorization.k8s.io', 'clusterrolebindings'],
        ['cilium.io', 'ciliumnetworkpolicies'],
        ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'],
      ];
      for (const ns of plan.spec.departments.map(departmentNamespaceName)) {
        // positive control: the group does run its workloads
        check(
          evaluator.can('tenant-cluster', subject, 'create', {
            apiGroup: 'apps',
            resource: 'deployments',
            namespace: ns,
          }),
          true,
        );
        check(
          evaluator.can('tenant-cluster', subject, 'list', {
            apiGroup: 'networking.k8s.io',
            resource: 'networkpolicies',
            namespace: ns,
          }),
          true,
        );
        for (const [apiGroup, resource] of protectedResources) {
          for (const verb of [
            'create',
            'update',
            'patch',
            'delete',
            'deletecollection',
            'escalate',
            'bind',
          ]) {
            check(
              evaluator.can('tenant-cluster', subject, verb, {
                apiGroup,
                resource,
                namespace: ns,
              }),
              false,
            );
          }
        }
        for (const resource of ['users', 'groups', 'serviceaccounts']) {
          check(
            evaluator.can('tenant-cluster', subject, 'impersonate', {
              apiGroup: '',
              resource,
              namespace: ns,
            }),
            false,
          );
        }
      }
      expect(failures).toEqual([]);
    });

    it('every sized container fits its LimitRange and the quota fits the surge', () => {
      const cp = management.controlPlaneContainers(slug);
      for (const container of [...cp.containers, ...cp.initContainers]) {
        expect(
          management.limitRangeViolations(
            'management-cluster',
            cp.namespace,
            container,
          ),
        ).toEqual([]);
      }
      expect(cp.maxSurge).toBe(cp.replicas);
      expect(management.quotaSurgeViolations(slug)).toEqual([]);

      const evaluator = PlanEvaluator.fromPlans([plan]);
      const max = plan.sizing.department.limitRange.containerMax;
      for (const ns of plan.spec.departments.map(departmentNamespaceName)) {
        expect(
          evaluator.limitRangeViolations('tenant-cluster', ns, {
            name: 'defaulted',
          }),
        ).toEqual([]);
        const atMax = {
          cpu: `${max.cpuMillicores}m`,
          memory: `${max.memoryMebibytes}Mi`,
        };
        expect(
          evaluator.limitRangeViolations('tenant-cluster', ns, {
            name: 'at-max',
            requests: atMax,
            limits: atMax,
          }),
        ).toEqual([]);
        const over = {
          cpu: `${max.cpuMillicores + 1}m`,
          memory: `${max.memoryMebibytes}Mi`,
        };
        expect(
          evaluator.limitRangeViolations('tenant-cluster', ns, {
            name: 'over',
            requests: over,
            limits: over,
          }),
        ).not.toEqual([]);
      }
    });
  },
);
