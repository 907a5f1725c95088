export { CostChart } from './CostChart';
export type { CostChartProps } from './CostChart';
export type { CostChartPoint } from './types';
