/**
 * The simulated traffic of one tenant: functions of unix seconds.
 *
 * @public
 */
export interface SimulatedTenantTraffic {
  tenant: string;
  /** requests per second at t */
  rps(t: number): number;
  /** share of 5xx at t */
  errorShare(t: number): number;
  /** cumulative share of requests within each of {@link SIMULATED_BUCKETS} */
  latency: readonly number[];
}

/**
 * The histogram bounds of the documented metrics (the 2 s target is one).
 *
 * @public
 */
export const SIMULATED_BUCKETS = [0.1, 0.5, 1, 2, 5, Infinity] as const;

/**
 * The reference tenants: Santa Maria and Real Hospital Português meet every
 * target (a daily traffic curve, 0.01–0.02 % errors, 99 % within 2 s); São
 * João has been failing 3 % of its requests since three hours before the
 * simulator started, so its fast-burn alert fires while the simulator runs.
 *
 * @public
 */
export function referenceTraffic(startedAt: number): SimulatedTenantTraffic[] {
  const daily = (base: number) => (t: number) =>
    base * (1 + 0.5 * Math.sin((2 * Math.PI * (t % 86400)) / 86400));
  return [
    {
      tenant: 'hospital-santa-maria',
      rps: daily(40),
      errorShare: () => 0.0001,
      latency: [0.5, 0.9, 0.97, 0.99, 0.999, 1],
    },
    {
      tenant: 'hospital-sao-joao',
      rps: daily(15),
      errorShare: t => (t > startedAt - 3 * 3600 ? 0.03 : 0.0004),
      latency: [0.4, 0.85, 0.95, 0.985, 0.998, 1],
    },
    {
      tenant: 'real-hospital-portugues',
      rps: daily(25),
      errorShare: () => 0.0002,
      latency: [0.6, 0.95, 0.98, 0.995, 1, 1],
    },
  ];
}
