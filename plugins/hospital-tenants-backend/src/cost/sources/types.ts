/**
 * What a cost source (Kubecost or OpenCost) answers once normalised: daily
 * allocation rows in the source's currency, the same for both products.
 */

/** One allocation row of one day, normalised. */
export interface AllocationRow {
  /** the aggregate value, label keys reduced to the bare value (`app=redis` → `redis`) */
  key: string;
  /** `__idle__` or `<cluster-or-node>/__idle__` */
  idle: boolean;
  /** `__unallocated__` (rows lacking the aggregated label or field) */
  unallocated: boolean;
  /** the source's own categories, adjustments included; `null` counted as 0 */
  cpu: number;
  ram: number;
  gpu: number;
  pv: number;
  network: number;
  loadBalancer: number;
  shared: number;
  external: number;
  total: number;
  /** per-resource efficiencies, `null` when the source has none (NaN) */
  cpuEfficiency: number | null;
  ramEfficiency: number | null;
}

/** The rows of one day (a midnight-to-midnight step in the configured zone). */
export interface AllocationDay {
  /** `YYYY-MM-DD` in the configured zone */
  day: string;
  rows: AllocationRow[];
}

/** A right-sizing recommendation, normalised. */
export interface SavingsRecommendation {
  namespace: string;
  controller: string;
  container: string;
  /** BRL per month; negative for an under-provisioned container */
  monthlySavings: number;
}

/** What the attribution asks of a source. */
export interface AllocationQuery {
  /** the first day, `YYYY-MM-DD` in the zone */
  from: string;
  /** the day after the last, `YYYY-MM-DD` in the zone */
  to: string;
  aggregate: string;
  /** v2 filter, built by the plugin (never from a request) */
  filter?: string;
  includeIdle: boolean;
}

/** One Kubecost or OpenCost. */
export interface CostSource {
  readonly product: 'kubecost' | 'opencost';
  /** where it is, for messages (no credentials) */
  readonly baseUrl: string;
  /** Daily rows of the window. */
  allocation(query: AllocationQuery): Promise<AllocationDay[]>;
  /** The configured currency code (`BRL`). */
  currency(): Promise<string>;
  /** Right-sizing recommendations; `undefined` when the product has none (OpenCost). */
  savings(filter: string): Promise<SavingsRecommendation[] | undefined>;
}
