/** One point of a cost chart: a label (day, month, tenant) and an amount in BRL. */
export interface CostChartPoint {
  label: string;
  value: number;
}

/** What the lazy drawing needs. */
export interface CostChartDrawingProps {
  kind: 'line' | 'bar';
  points: CostChartPoint[];
  /** money in the user's language */
  format: (value: number) => string;
  /** a horizontal line, e.g. the monthly budget */
  reference?: { value: number; label: string };
  height?: number;
}
