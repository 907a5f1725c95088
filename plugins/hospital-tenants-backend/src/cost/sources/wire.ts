import { ServiceUnavailableError } from '@backstage/errors';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { AllocationDay, AllocationRow } from './types';

/** A number of the wire: OpenCost writes NaN and ±Inf as `null`. */
const num = z.number().nullable().optional();

const allocationSchema = z
  .object({
    name: z.string().optional(),
    start: z.string(),
    end: z.string(),
    cpuCost: num,
    cpuCostAdjustment: num,
    ramCost: num,
    ramCostAdjustment: num,
    gpuCost: num,
    gpuCostAdjustment: num,
    pvCost: num,
    pvCostAdjustment: num,
    networkCost: num,
    networkCostAdjustment: num,
    loadBalancerCost: num,
    loadBalancerCostAdjustment: num,
    sharedCost: num,
    externalCost: num,
    totalCost: num,
    cpuEfficiency: num,
    ramEfficiency: num,
  })
  .loose();

/** `{code, status?, data: [ {key: Allocation} ] | null, message?}` of both products. */
export const allocationResponseSchema = z
  .object({
    code: z.number(),
    status: z.string().optional(),
    message: z.string().optional(),
    data: z.array(z.record(z.string(), allocationSchema)).nullable(),
  })
  .loose();

const v = (n: number | null | undefined) =>
  typeof n === 'number' && Number.isFinite(n) ? n : 0;
const eff = (n: number | null | undefined) =>
  typeof n === 'number' && Number.isFinite(n) ? n : null;

/** Reduces a label aggregate key to the bare value (Kubecost `name=value`, OpenCost `value`). */
function bareKey(key: string, aggregate: string): string {
  if (!aggregate.startsWith('label:') || aggregate.includes(',')) return key;
  const name = aggregate.slice('label:'.length);
  return key.startsWith(`${name}=`) ? key.slice(name.length + 1) : key;
}

/**
 * Normalises an allocation answer into days of the zone. Empty sets (a day
 * with no data) are dropped; a row is put on the day its window starts in.
 */
export function normaliseAllocation(
  body: unknown,
  aggregate: string,
  timeZone: string,
  where: string,
): AllocationDay[] {
  const parsed = allocationResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new ServiceUnavailableError(
      `${where} answered an allocation body this plugin does not understand: ${parsed.error.issues[0]?.message}`,
    );
  }
  const { code, message, data } = parsed.data;
  if (code !== 200) {
    throw new ServiceUnavailableError(
      `${where} failed (code ${code}): ${message ?? 'no message'}`,
    );
  }
  const days = new Map<string, AllocationRow[]>();
  for (const set of data ?? []) {
    for (const [key, a] of Object.entries(set)) {
      const day = DateTime.fromISO(a.start, { zone: timeZone }).toISODate();
      if (!day) continue;
      const cpu = v(a.cpuCost) + v(a.cpuCostAdjustment);
      const ram = v(a.ramCost) + v(a.ramCostAdjustment);
      const gpu = v(a.gpuCost) + v(a.gpuCostAdjustment);
      const pv = v(a.pvCost) + v(a.pvCostAdjustment);
      const network = v(a.networkCost) + v(a.networkCostAdjustment);
      const loadBalancer =
        v(a.loadBalancerCost) + v(a.loadBalancerCostAdjustment);
      const shared = v(a.sharedCost);
      const external = v(a.externalCost);
      const row: AllocationRow = {
        key: bareKey(key, aggregate),
        idle: key.includes('__idle__'),
        unallocated: key.includes('__unallocated__'),
        cpu,
        ram,
        gpu,
        pv,
        network,
        loadBalancer,
        shared,
        external,
        total:
          cpu + ram + gpu + pv + network + loadBalancer + shared + external,
        cpuEfficiency: eff(a.cpuEfficiency),
        ramEfficiency: eff(a.ramEfficiency),
      };
      days.set(day, [...(days.get(day) ?? []), row]);
    }
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, rows]) => ({ day, rows }));
}

/** The error of a non-2xx answer: the envelope's message if JSON, else the text. */
export async function upstreamError(
  response: Response,
  where: string,
): Promise<Error> {
  const text = (await response.text().catch(() => '')).slice(0, 500);
  let message = text.trim();
  try {
    const body = JSON.parse(text);
    if (body && typeof body.message === 'string') message = body.message;
  } catch {
    // plain text (OpenCost's bad-window answer)
  }
  return new ServiceUnavailableError(
    `${where} answered HTTP ${response.status}: ${message || 'no body'}`,
  );
}
