/*
 * resource.Quantity as the API server validates and prints it; the numeric
 * parsing is the common package's.
 */
import { parseQuantity as parseStrict } from '@prontuario/plugin-hospital-tenants-common';

/** The API server's quantity syntax (k8s.io/apimachinery/pkg/api/resource). */
export const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** The value of a quantity, or undefined when it is not one. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  if (typeof q === 'string' && !QUANTITY_RE.test(q)) return undefined;
  try {
    return parseStrict(q);
  } catch {
    return undefined;
  }
}

function formatBytes(bytes: number): string {
  for (const [s, f] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= f && bytes % f === 0) return `${bytes / f}${s}`;
  }
  return String(Math.round(bytes));
}

/** A usage value normalised the way the quota controller prints it. */
export function formatQuantity(resource: string, value: number): string {
  if (resource.endsWith('cpu')) {
    const milli = Math.round(value * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (/memory|storage/.test(resource)) return formatBytes(value);
  return String(Math.round(value));
}
