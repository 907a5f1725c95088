import { CategoryCosts, DayDetail } from './CostStore';
import { AllocationDay, AllocationRow } from './sources/types';

export const zeroCategories = (): CategoryCosts => ({
  cpu: 0,
  ram: 0,
  gpu: 0,
  pv: 0,
  network: 0,
  loadBalancer: 0,
  shared: 0,
  external: 0,
});

export function addRow(into: CategoryCosts, row: AllocationRow) {
  into.cpu += row.cpu;
  into.ram += row.ram;
  into.gpu += row.gpu;
  into.pv += row.pv;
  into.network += row.network;
  into.loadBalancer += row.loadBalancer;
  into.shared += row.shared;
  into.external += row.external;
}

export const sumCategories = (c: CategoryCosts) =>
  c.cpu +
  c.ram +
  c.gpu +
  c.pv +
  c.network +
  c.loadBalancer +
  c.shared +
  c.external;

/** The groups of the API: compute, storage, network, shared. */
export function groupCategories(c: CategoryCosts, platformShare = 0) {
  return {
    compute: c.cpu + c.ram + c.gpu,
    storage: c.pv,
    network: c.network + c.loadBalancer,
    shared: c.shared + c.external + platformShare,
  };
}

/** One tenant's direct costs per day, before the platform share. */
export interface TenantDirect {
  tenantId: string;
  days: Map<string, Omit<DayDetail, 'platformShare'>>;
}

/**
 * A tenant's own cluster: every row except idle and unallocated ones,
 * which are only reported (`idleExcluded`).
 */
export function workloadsOf(
  days: AllocationDay[],
  into: Map<string, Omit<DayDetail, 'platformShare'>>,
) {
  for (const { day, rows } of days) {
    const d = dayOf(into, day);
    for (const row of rows) {
      if (row.idle || row.unallocated) {
        d.idleExcluded += row.total;
        continue;
      }
      addRow(d.workloads, row);
      weigh(d, row);
    }
  }
}

/** The control plane: the rows of the tenant's label value only (never idle or unallocated). */
export function controlPlaneOf(
  days: AllocationDay[],
  tenantId: string,
  into: Map<string, Omit<DayDetail, 'platformShare'>>,
) {
  for (const { day, rows } of days) {
    const d = dayOf(into, day);
    for (const row of rows) {
      if (row.idle || row.unallocated || row.key !== tenantId) continue;
      addRow(d.controlPlane, row);
      weigh(d, row);
    }
  }
}

/** The shared pool per day: the shared namespaces, and the management cluster's idle if configured. */
export function sharedPoolOf(
  days: AllocationDay[],
  namespaces: string[],
  includeIdle: boolean,
): Map<string, number> {
  const pool = new Map<string, number>();
  for (const { day, rows } of days) {
    let sum = 0;
    for (const row of rows) {
      if (
        row.idle
          ? includeIdle
          : !row.unallocated && namespaces.includes(row.key)
      ) {
        sum += row.total;
      }
    }
    pool.set(day, sum);
  }
  return pool;
}

/**
 * The platform share of each tenant-day: `fraction` of the day's pool,
 * split in proportion to the tenants' direct costs that day.
 */
export function sharePool(
  tenants: TenantDirect[],
  pool: Map<string, number>,
  fraction: number,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const t of tenants) out.set(t.tenantId, new Map());
  for (const [day, amount] of pool) {
    const direct = tenants.map(t => {
      const d = t.days.get(day);
      return d ? sumCategories(d.workloads) + sumCategories(d.controlPlane) : 0;
    });
    const total = direct.reduce((a, b) => a + b, 0);
    if (total <= 0) continue;
    tenants.forEach((t, i) => {
      out.get(t.tenantId)!.set(day, (amount * fraction * direct[i]) / total);
    });
  }
  return out;
}

function dayOf(
  into: Map<string, Omit<DayDetail, 'platformShare'>>,
  day: string,
) {
  let d = into.get(day);
  if (!d) {
    d = {
      workloads: zeroCategories(),
      controlPlane: zeroCategories(),
      idleExcluded: 0,
      efficiency: { cpuWeighted: 0, cpu: 0, ramWeighted: 0, ram: 0 },
    };
    into.set(day, d);
  }
  return d;
}

function weigh(d: Omit<DayDetail, 'platformShare'>, row: AllocationRow) {
  if (row.cpuEfficiency !== null) {
    d.efficiency.cpuWeighted += row.cpuEfficiency * row.cpu;
    d.efficiency.cpu += row.cpu;
  }
  if (row.ramEfficiency !== null) {
    d.efficiency.ramWeighted += row.ramEfficiency * row.ram;
    d.efficiency.ram += row.ram;
  }
}
