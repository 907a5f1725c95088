/*
 * Label and field selectors as kube-apiserver parses them
 * (k8s.io/apimachinery/pkg/labels, .../fields).
 */
import { badRequest } from './status';

type Requirement =
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | '!'; key: string };

/** A parsed label selector: a predicate on a label map. @public */
export type LabelPredicate = (
  labels: Record<string, string> | undefined,
) => boolean;

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function parseRequirement(part: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (set) {
    return {
      op: set[2] as 'in' | 'notin',
      key: set[1],
      values: set[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    };
  }
  const eq = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(part);
  if (eq)
    return { op: eq[2] === '!=' ? 'notin' : 'in', key: eq[1], values: [eq[3]] };
  const not = /^!\s*(\S+)$/.exec(part);
  if (not) return { op: '!', key: not[1] };
  if (/^\S+$/.test(part)) return { op: 'exists', key: part };
  throw badRequest(
    `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`,
  );
}

export function parseLabelSelector(
  selector: string | undefined | null,
): LabelPredicate {
  if (!selector || !selector.trim()) return () => true;
  const reqs: Requirement[] = splitTopLevel(selector).map(raw => {
    const req = parseRequirement(raw.trim());
    if (!KEY.test(req.key)) {
      throw badRequest(
        `unable to parse requirement: invalid label key "${req.key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      );
    }
    return req;
  });
  return labels => {
    const l = labels ?? {};
    return reqs.every(r => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'in':
          return has && r.values.includes(l[r.key]);
        case 'notin':
          return !has || !r.values.includes(l[r.key]);
        case 'exists':
          return has;
        default:
          return !has;
      }
    });
  };
}

/** Field selectors: only metadata.name and metadata.namespace, like most kinds. */
export function parseFieldSelector(
  selector: string | undefined | null,
  kind: string,
) {
  if (!selector || !selector.trim()) return () => true;
  const reqs = selector.split(',').map(part => {
    const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*(\S*)\s*$/.exec(part);
    if (!m)
      throw badRequest(
        `invalid selector: '${selector}'; can't understand '${part}'`,
      );
    if (m[1] !== 'metadata.name' && m[1] !== 'metadata.namespace') {
      throw badRequest(`field label not supported: ${m[1]}`);
    }
    return { field: m[1].split('.')[1], neg: m[2] === '!=', value: m[3], kind };
  });
  return (obj: any) =>
    reqs.every(r => (obj.metadata?.[r.field] === r.value) !== r.neg);
}
