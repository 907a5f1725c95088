/**
 * CPU in millicores and memory in mebibytes: the units the sizing model
 * works in. Limits always equal requests.
 *
 * @public
 */
export interface ResourceSize {
  cpuMillicores: number;
  memoryMebibytes: number;
}

/**
 * Formats millicores as a Kubernetes quantity (`"2"`, `"500m"`).
 *
 * @public
 */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/**
 * Formats mebibytes as a Kubernetes quantity (`"1Gi"`, `"512Mi"`).
 *
 * @public
 */
export function formatMemory(mebibytes: number): string {
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

/**
 * Formats gibibytes of storage as a Kubernetes quantity.
 *
 * @public
 */
export function formatStorage(gibibytes: number): string {
  return `${gibibytes}Gi`;
}

const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * Parses a Kubernetes quantity (`"500m"`, `"2"`, `"1Gi"`, `"1e3"`) into its
 * plain numeric value (cores, bytes, count). Throws on malformed input.
 *
 * @public
 */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') {
    return quantity;
  }
  const match =
    /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(
      quantity.trim(),
    );
  if (!match || !(match[3] in SUFFIXES)) {
    throw new Error(`Invalid Kubernetes quantity "${quantity}"`);
  }
  const exponent = match[2] ? 10 ** Number(match[2]) : 1;
  return Number(match[1]) * exponent * SUFFIXES[match[3]];
}

/**
 * Parses a CPU quantity into millicores.
 *
 * @public
 */
export function parseCpuMillicores(quantity: string | number): number {
  return Math.round(parseQuantity(quantity) * 1000);
}

/**
 * Parses a memory quantity into mebibytes (may be fractional).
 *
 * @public
 */
export function parseMemoryMebibytes(quantity: string | number): number {
  return parseQuantity(quantity) / 2 ** 20;
}
