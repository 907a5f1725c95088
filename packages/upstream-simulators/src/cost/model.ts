/*
 * The cost model behind the Kubecost and OpenCost simulators: deterministic
 * daily allocation rows for the management cluster and each tenant cluster,
 * in BRL, aligned to the configured time zone.
 *
 * For the three reference tenants the last complete month (relative to the
 * simulator's clock) comes to exactly R$ 13.800, R$ 34.300 and R$ 9.900
 * once attributed the Kamaji way (own cluster's workloads + control plane +
 * a proportional share of the platform's shared costs): 60 % compute, 25 %
 * storage, 10 % network, 5 % shared; every earlier month is 12 % lower.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';

/** The reference tenants' last complete month and savings opportunities (BRL). @public */
export const REFERENCE_COSTS: Record<
  string,
  { lastMonthBrl: number; savingsBrl: number }
> = {
  'real-hospital-portugues': { lastMonthBrl: 13800, savingsBrl: 2800 },
  'hospital-santa-maria': { lastMonthBrl: 34300, savingsBrl: 6900 },
  'hospital-sao-joao': { lastMonthBrl: 9900, savingsBrl: 2300 },
};

/** Growth of the last complete month against every month before it. */
export const MONTHLY_GROWTH = 1.12;

/** The management cluster's name (the `cluster` property of its rows). */
export const MANAGEMENT_CLUSTER = 'management';

/** The tenant label, Prometheus-sanitised. */
export const TENANT_LABEL = 'hospital_tenants_io_tenant';

/** Shared platform namespaces on the management cluster and their part of the shared pool (the rest is idle). */
export const SHARED_NAMESPACES: Record<string, number> = {
  'postgres-system': 0.4,
  'kamaji-system': 0.2,
  'kube-system': 0.1,
};
const IDLE_PART_OF_POOL = 0.3;

/** Department namespaces of a tenant cluster and their part of its workloads. */
const DEPARTMENT_NAMESPACES: Record<string, number> = {
  ehr: 0.5,
  pacs: 0.3,
  lab: 0.2,
};

/**
 * One allocation row before it is rendered in a wire format.
 *
 * @public
 */
export interface CostRow {
  key: string;
  cluster: string;
  namespace?: string;
  labels?: Record<string, string>;
  cpuCost: number;
  ramCost: number;
  gpuCost: number;
  pvCost: number;
  networkCost: number;
  loadBalancerCost: number;
  cpuEfficiency: number | null;
  ramEfficiency: number | null;
  idle?: boolean;
}

/** Knobs of the model (tests point another "source" at different numbers). @public */
export interface CostModelOptions {
  timeZone?: string;
  /** multiplies every cost (another Kubecost/OpenCost answers other numbers) */
  scale?: number;
  /** the clock */
  now?: () => Date;
}

function hashUnit(text: string): number {
  const digest = createHash('sha256').update(text).digest();
  return digest.readUInt32BE(0) / 0xffffffff;
}

/**
 * Deterministic model of every cluster's daily costs.
 *
 * @public
 */
export class CostModel {
  readonly timeZone: string;
  #scale: number;
  readonly #now: () => Date;
  /** revisions of past days: `${cluster}|${yyyy-mm-dd}` → factor */
  readonly #revisions = new Map<string, number>();

  constructor(options: CostModelOptions = {}) {
    this.timeZone = options.timeZone ?? 'America/Sao_Paulo';
    this.#scale = options.scale ?? 1;
    this.#now = options.now ?? (() => new Date());
  }

  now(): DateTime {
    return DateTime.fromJSDate(this.#now(), { zone: this.timeZone });
  }

  setScale(scale: number) {
    this.#scale = scale;
  }

  /** Revises one past day of a cluster (as Kubecost's reconciliation does). */
  revise(cluster: string, day: string, factor: number) {
    this.#revisions.set(`${cluster}|${day}`, factor);
  }

  /** Monthly total of a tenant (BRL, attributed) for the month holding `day`; 0 before it existed. */
  #tenantMonth(slug: string, day: DateTime): number {
    const current = this.now().startOf('month');
    const month = day.startOf('month');
    const back = Math.round(current.diff(month, 'months').months);
    const reference = REFERENCE_COSTS[slug];
    if (reference) {
      if (back <= 1) return reference.lastMonthBrl;
      return reference.lastMonthBrl / MONTHLY_GROWTH;
    }
    // a tenant created later: plausible data for the current month only
    if (back > 0) return 0;
    return 4000 + Math.round(hashUnit(slug) * 90) * 100;
  }

  /** The weight of a day in its month (weekdays 1, weekends 0.8), normalised. */
  #dayWeight(day: DateTime): number {
    const weight = (d: DateTime) => (d.weekday >= 6 ? 0.8 : 1);
    let sum = 0;
    for (let i = 1; i <= day.daysInMonth!; i++) {
      sum += weight(day.set({ day: i }));
    }
    return weight(day) / sum;
  }

  /** Tenants with cost on the day: the reference tenants and those asked about. */
  tenantsOn(day: DateTime, extra: Iterable<string> = []): string[] {
    const all = new Set([...Object.keys(REFERENCE_COSTS), ...extra]);
    return [...all].filter(slug => this.#tenantMonth(slug, day) > 0).sort();
  }

  /**
   * The rows of `cluster` for the day starting at `day` (a midnight in the
   * model's zone), scaled by `fraction` of the day (the running day).
   */
  rows(
    cluster: string,
    day: DateTime,
    fraction: number,
    knownTenants: Iterable<string>,
  ): CostRow[] {
    const revision = this.#revisions.get(`${cluster}|${day.toISODate()}`) ?? 1;
    const k = this.#scale * fraction * revision;
    const weight = this.#dayWeight(day);
    const rows: CostRow[] = [];
    if (cluster === MANAGEMENT_CLUSTER) {
      let pool = 0;
      for (const slug of this.tenantsOn(day, knownTenants)) {
        const t = this.#tenantMonth(slug, day) * weight * k;
        // control plane: 5 % of the tenant's total, all compute
        rows.push({
          key: `tenant-${slug}`,
          cluster,
          namespace: `tenant-${slug}`,
          labels: { [TENANT_LABEL]: slug },
          cpuCost: 0.035 * t,
          ramCost: 0.015 * t,
          gpuCost: 0,
          pvCost: 0,
          networkCost: 0,
          loadBalancerCost: 0,
          cpuEfficiency: 0.38,
          ramEfficiency: 0.55,
        });
        if (REFERENCE_COSTS[slug]) pool += 0.05 * t;
      }
      for (const [ns, part] of Object.entries(SHARED_NAMESPACES)) {
        const c = pool * part;
        rows.push({
          key: ns,
          cluster,
          namespace: ns,
          cpuCost: 0.4 * c,
          ramCost: 0.2 * c,
          gpuCost: 0,
          pvCost: 0.3 * c,
          networkCost: 0.1 * c,
          loadBalancerCost: 0,
          cpuEfficiency: 0.6,
          ramEfficiency: 0.7,
        });
      }
      rows.push(idleRow(cluster, pool * IDLE_PART_OF_POOL));
      return rows;
    }
    const t = this.#tenantMonth(cluster, day) * weight * k;
    if (t === 0) return [];
    for (const [ns, part] of Object.entries(DEPARTMENT_NAMESPACES)) {
      const w = t * part;
      // workloads: 55 % compute, 25 % storage, 10 % network of the tenant
      rows.push({
        key: ns,
        cluster,
        namespace: ns,
        cpuCost: 0.385 * w,
        ramCost: 0.165 * w,
        gpuCost: 0,
        pvCost: 0.25 * w,
        networkCost: 0.04 * w,
        loadBalancerCost: 0.06 * w,
        cpuEfficiency: 0.42,
        ramEfficiency: 0.61,
      });
    }
    rows.push(idleRow(cluster, 0.15 * t));
    return rows;
  }

  /** Monthly savings opportunities of a tenant cluster (BRL). */
  savings(cluster: string): number {
    const reference = REFERENCE_COSTS[cluster];
    if (reference) return reference.savingsBrl * this.#scale;
    if (cluster === MANAGEMENT_CLUSTER) return 0;
    return Math.round(hashUnit(`${cluster}:savings`) * 20) * 50 * this.#scale;
  }
}

function idleRow(cluster: string, cost: number): CostRow {
  return {
    key: '__idle__',
    cluster,
    cpuCost: 0.7 * cost,
    ramCost: 0.3 * cost,
    gpuCost: 0,
    pvCost: 0,
    networkCost: 0,
    loadBalancerCost: 0,
    cpuEfficiency: null,
    ramEfficiency: null,
    idle: true,
  };
}
