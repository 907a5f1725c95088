/**
 * A parsed IPv4 CIDR block: the first and last address as unsigned 32-bit
 * integers.
 *
 * @public
 */
export interface Ipv4Range {
  cidr: string;
  first: number;
  last: number;
  prefix: number;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * Parses a dotted IPv4 address into an unsigned 32-bit integer, or
 * `undefined` when it is not one.
 *
 * @public
 */
export function parseIpv4(address: string): number | undefined {
  const match = IPV4.exec(address);
  if (!match) {
    return undefined;
  }
  return (
    ((Number(match[1]) << 24) >>> 0) +
    (Number(match[2]) << 16) +
    (Number(match[3]) << 8) +
    Number(match[4])
  );
}

/**
 * Parses an IPv4 CIDR such as `10.1.0.0/16`. The address must be the
 * network address (no host bits set), as Kubernetes' `isCIDR` and GCP
 * firewall rules expect. Returns `undefined` when invalid.
 *
 * @public
 */
export function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
  const [address, prefixText, ...rest] = cidr.split('/');
  if (rest.length > 0 || prefixText === undefined) {
    return undefined;
  }
  if (!/^(3[0-2]|[12]?\d)$/.test(prefixText)) {
    return undefined;
  }
  const base = parseIpv4(address);
  if (base === undefined) {
    return undefined;
  }
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    return undefined;
  }
  return { cidr, first: base, last: base + size - 1, prefix };
}

/**
 * Whether two ranges share at least one address.
 *
 * @public
 */
export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/**
 * Whether an IPv4 address lies in a CIDR.
 *
 * @public
 */
export function cidrContains(cidr: string, address: string): boolean {
  const range = parseIpv4Cidr(cidr);
  const ip = parseIpv4(address);
  return range !== undefined && ip !== undefined
    ? ip >= range.first && ip <= range.last
    : false;
}

/**
 * Ranges that are never a public API: RFC 1918 private networks, carrier-grade
 * NAT, loopback, link-local, "this network", multicast and reserved space,
 * plus the IETF documentation-free special ranges.
 *
 * @public
 */
export const NON_PUBLIC_IPV4_RANGES: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

/**
 * The first range in `others` that overlaps `cidr`, if any.
 *
 * @public
 */
export function findOverlap(
  cidr: string,
  others: readonly string[],
): string | undefined {
  const range = parseIpv4Cidr(cidr);
  if (!range) {
    return undefined;
  }
  return others.find(other => {
    const otherRange = parseIpv4Cidr(other);
    return otherRange !== undefined && rangesOverlap(range, otherRange);
  });
}
