import { estimateTenantCost } from './cost';
import {
  AUTOPILOT_RULES,
  computeTenantSizing,
  DataStoreDriver,
  SIZING_TIERS,
  TenantSizing,
} from './sizing';

const pricing = {
  vcpuMonthBrl: 270,
  memoryGibMonthBrl: 30,
  storageGibMonthBrl: 0.92,
  sharedPlatformShare: 0.1,
};

function flatten(s: TenantSizing): number[] {
  const q = s.management.quota;
  const d = s.department.quota;
  return [
    s.controlPlane.replicas,
    s.controlPlane.apiServer.cpuMillicores,
    s.controlPlane.apiServer.memoryMebibytes,
    s.controlPlane.controllerManager.cpuMillicores,
    s.controlPlane.scheduler.cpuMillicores,
    s.controlPlane.pod.cpuMillicores,
    s.controlPlane.pod.memoryMebibytes,
    q.cpuMillicores,
    q.memoryMebibytes,
    q.pods,
    d.cpuMillicores,
    d.memoryMebibytes,
    d.pods,
    d.storageGibibytes,
    s.totals.tenantLayer.cpuMillicores,
  ];
}

describe('computeTenantSizing', () => {
  const rhp = computeTenantSizing({
    dailyUsers: 200,
    departments: 4,
    dataStoreDriver: 'etcd',
  });
  const santaMaria = computeTenantSizing({
    dailyUsers: 500,
    departments: 8,
    dataStoreDriver: 'etcd',
  });
  const saoJoao = computeTenantSizing({
    dailyUsers: 150,
    departments: 3,
    dataStoreDriver: 'etcd',
  });

  it('sizes Real Hospital Português like the brief', () => {
    expect(rhp.tier).toBe('medium');
    expect(rhp.controlPlane.replicas).toBe(2);
    expect(rhp.controlPlane.apiServer).toEqual({
      cpuMillicores: 500,
      memoryMebibytes: 1024,
    });
    expect(rhp.controlPlane.controllerManager).toEqual({
      cpuMillicores: 200,
      memoryMebibytes: 512,
    });
    expect(rhp.controlPlane.scheduler).toEqual({
      cpuMillicores: 100,
      memoryMebibytes: 256,
    });
  });

  it('scales Santa Maria up and right-sizes São João down, all distinct', () => {
    expect(santaMaria.tier).toBe('large');
    expect(saoJoao.tier).toBe('small');
    expect(santaMaria.controlPlane.replicas).toBeGreaterThan(
      rhp.controlPlane.replicas,
    );
    expect(santaMaria.controlPlane.apiServer.cpuMillicores).toBeGreaterThan(
      500,
    );
    expect(saoJoao.controlPlane.apiServer.cpuMillicores).toBeLessThan(500);
    const totals = [saoJoao, rhp, santaMaria].map(
      s => s.totals.tenantLayer.cpuMillicores,
    );
    expect(totals[0]).toBeLessThan(totals[1]);
    expect(totals[1]).toBeLessThan(totals[2]);
  });

  it('keeps the reference cost estimates in a sensible range of their budgets', () => {
    const budgets: Array<[TenantSizing, number]> = [
      [saoJoao, 8000],
      [rhp, 15000],
      [santaMaria, 35000],
    ];
    for (const [sizing, budget] of budgets) {
      const cost = estimateTenantCost(sizing, pricing);
      expect(cost.monthlyLowBrl).toBeLessThan(cost.monthlyHighBrl);
      expect(cost.monthlyLowBrl).toBeLessThan(budget);
      expect(cost.monthlyHighBrl).toBeGreaterThan(budget * 0.5);
      expect(cost.monthlyHighBrl).toBeLessThan(budget * 1.5);
    }
  });

  it('adds kine and its init container for SQL DataStores and still fits the quota', () => {
    const s = computeTenantSizing({
      dailyUsers: 200,
      departments: 4,
      dataStoreDriver: 'PostgreSQL',
    });
    expect(s.controlPlane.kine).toBeDefined();
    expect(s.controlPlane.initContainer).toBeDefined();
    expect(s.management.quota.cpuMillicores).toBe(
      2 * 2 * s.controlPlane.pod.cpuMillicores,
    );
  });

  // A seeded generator: property checks over many inputs.
  function* inputs(count: number) {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const drivers: DataStoreDriver[] = ['etcd', 'PostgreSQL', 'MySQL', 'NATS'];
    for (let i = 0; i < count; i++) {
      const users = Math.max(
        1,
        Math.floor(Math.exp(next() * Math.log(100000))),
      );
      yield {
        dailyUsers: users,
        departments: 1 + Math.floor(next() * 50),
        dataStoreDriver: drivers[Math.floor(next() * drivers.length)],
      };
    }
  }

  it('is monotonic in daily users (and departments for the control plane)', () => {
    for (const input of inputs(400)) {
      const a = computeTenantSizing(input);
      const more = computeTenantSizing({
        ...input,
        dailyUsers: Math.min(100000, input.dailyUsers * 2 + 1),
      });
      flatten(a).forEach((value, i) =>
        expect(flatten(more)[i]).toBeGreaterThanOrEqual(value),
      );
      expect(SIZING_TIERS.indexOf(more.tier)).toBeGreaterThanOrEqual(
        SIZING_TIERS.indexOf(a.tier),
      );
      const departments = Math.min(50, input.departments + 1);
      const moreDepts = computeTenantSizing({ ...input, departments });
      expect(SIZING_TIERS.indexOf(moreDepts.tier)).toBeGreaterThanOrEqual(
        SIZING_TIERS.indexOf(a.tier),
      );
      // Every department gets a base allowance plus its users' share.
      expect(moreDepts.totals.tenantLayer.cpuMillicores).toBeGreaterThanOrEqual(
        1000 * departments + 120 * input.dailyUsers,
      );
    }
  });

  it('respects the GKE Autopilot rules for every pod it sizes', () => {
    for (const input of inputs(400)) {
      const s = computeTenantSizing(input);
      const pod = s.controlPlane.pod;
      expect(pod.cpuMillicores % AUTOPILOT_RULES.podCpuStepMillicores).toBe(0);
      expect(pod.cpuMillicores).toBeGreaterThanOrEqual(
        AUTOPILOT_RULES.minPod.cpuMillicores,
      );
      expect(pod.memoryMebibytes).toBeGreaterThanOrEqual(
        AUTOPILOT_RULES.minPod.memoryMebibytes,
      );
      expect(pod.cpuMillicores).toBeLessThanOrEqual(
        AUTOPILOT_RULES.maxPod.cpuMillicores,
      );
      expect(pod.memoryMebibytes).toBeLessThanOrEqual(
        AUTOPILOT_RULES.maxPod.memoryMebibytes,
      );
      const ratio = pod.memoryMebibytes / 1024 / (pod.cpuMillicores / 1000);
      expect(ratio).toBeGreaterThanOrEqual(AUTOPILOT_RULES.minMemoryGibPerVcpu);
      expect(ratio).toBeLessThanOrEqual(AUTOPILOT_RULES.maxMemoryGibPerVcpu);
      const dflt = s.department.limitRange.containerDefault;
      const deptRatio =
        dflt.memoryMebibytes / 1024 / (dflt.cpuMillicores / 1000);
      expect(deptRatio).toBeGreaterThanOrEqual(1);
      expect(deptRatio).toBeLessThanOrEqual(6.5);
      expect(s.department.quota.cpuMillicores % 250).toBe(0);
    }
  });

  it('rejects impossible inputs', () => {
    expect(() =>
      computeTenantSizing({
        dailyUsers: 0,
        departments: 1,
        dataStoreDriver: 'etcd',
      }),
    ).toThrow(/dailyUsers/);
    expect(() =>
      computeTenantSizing({
        dailyUsers: 1,
        departments: 0.5,
        dataStoreDriver: 'etcd',
      }),
    ).toThrow(/departments/);
  });
});
