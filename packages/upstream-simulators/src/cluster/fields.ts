/*
 * Server-side apply field ownership (managedFields, FieldsV1), following
 * sigs.k8s.io/structured-merge-diff closely enough for the portal's objects:
 * maps are merged field by field, lists are atomic (what the kinds the
 * portal applies declare: Role.rules, RoleBinding.subjects,
 * NetworkPolicy.ingress/egress, LimitRange.limits, and Kamaji's lists that
 * are not `x-kubernetes-list-type: map`).
 */
import { isDeepStrictEqual } from 'node:util';
import { ApiStatusError } from './status';

type Obj = Record<string, any>;
type Path = string[];

/** One managedFields entry. @public */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

const key = (p: Path) => JSON.stringify(p);
const unkey = (k: string) => JSON.parse(k) as Path;

function isMap(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What an applied configuration or an object sets, as leaf paths. */
export function leafPaths(obj: Obj, ignoreStatus = true): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, p: Path) => {
    if (isMap(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, [...p, k]);
    } else {
      out.add(key(p));
    }
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || (ignoreStatus && k === 'status'))
      continue;
    if (k === 'metadata' && isMap(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (
          ['labels', 'annotations', 'finalizers', 'ownerReferences'].includes(
            mk,
          )
        )
          walk(mv, ['metadata', mk]);
      }
      continue;
    }
    walk(v, [k]);
  }
  return out;
}

/** The leaf paths of a `status` subresource write. */
export function statusPaths(obj: Obj): Set<string> {
  return obj.status ? leafPaths({ status: obj.status }, false) : new Set();
}

export function toFieldsV1(paths: Set<string>): Obj {
  const root: Obj = {};
  for (const k of paths) {
    let node = root;
    for (const seg of unkey(k)) {
      node[`f:${seg}`] ??= {};
      node = node[`f:${seg}`];
    }
  }
  return root;
}

export function fromFieldsV1(fields: Obj): Set<string> {
  const out = new Set<string>();
  const walk = (node: Obj, p: Path) => {
    const children = Object.keys(node).filter(k => k.startsWith('f:'));
    if (children.length === 0 && p.length > 0) out.add(key(p));
    for (const c of children) walk(node[c], [...p, c.slice(2)]);
  };
  walk(fields ?? {}, []);
  return out;
}

export function getPath(obj: unknown, p: Path): unknown {
  let v: any = obj;
  for (const seg of p) {
    if (!isMap(v)) return undefined;
    v = v[seg];
  }
  return v;
}

function deletePath(obj: Obj, p: Path) {
  const parents: Obj[] = [];
  let v: any = obj;
  for (const seg of p.slice(0, -1)) {
    if (!isMap(v[seg])) return;
    parents.push(v);
    v = v[seg];
  }
  delete v[p[p.length - 1]];
  // drop maps the removal emptied (but never the top-level sections)
  for (let i = p.length - 2; i >= 1; i--) {
    const holder = parents[i];
    if (isMap(holder[p[i]]) && Object.keys(holder[p[i]]).length === 0)
      delete holder[p[i]];
    else break;
  }
}

function mergeInto(target: Obj, patch: Obj) {
  for (const [k, v] of Object.entries(patch)) {
    if (isMap(v) && isMap(target[k]) && Object.keys(v).length > 0)
      mergeInto(target[k], v);
    else target[k] = structuredClone(v);
  }
}

const overlaps = (a: Path, b: Path) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};

export function renderPath(p: Path) {
  return p.map(s => `.${s}`).join('');
}

interface Conflict {
  manager: string;
  apiVersion: string;
  field: string;
}

/** The 409 body apimachinery's NewApplyConflict renders. */
export function applyConflict(conflicts: Conflict[]) {
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const id = `"${c.manager}" using ${c.apiVersion}`;
    byManager.set(id, [...(byManager.get(id) ?? []), c]);
  }
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0];
    message = `Apply failed with 1 conflict: conflict with "${c.manager}" using ${c.apiVersion}: ${c.field}`;
  } else {
    const parts = [...byManager].map(
      ([id, cs]) =>
        `${cs.length === 1 ? 'conflict' : 'conflicts'} with ${id}:\n${cs
          .map(c => `- ${c.field}`)
          .join('\n')}`,
    );
    message = `Apply failed with ${conflicts.length} conflicts: ${parts.join(
      '\n',
    )}`;
  }
  return new ApiStatusError(409, 'Conflict', message, {
    causes: conflicts.map(c => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${c.manager}" using ${c.apiVersion}`,
      field: c.field,
    })),
  });
}

/**
 * Applies `applied` (an apply configuration, already validated) on top of
 * `live` for `manager`. Returns the merged object (without managedFields)
 * and the new managedFields.
 */
export function serverSideApply(options: {
  live: Obj | undefined;
  applied: Obj;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
}): { merged: Obj; managedFields: ManagedFieldsEntry[] } {
  const { live, applied, manager, force, apiVersion, now } = options;
  const appliedSet = leafPaths(applied);
  const entries: ManagedFieldsEntry[] = structuredClone(
    live?.metadata?.managedFields ?? [],
  );
  const conflicts: Conflict[] = [];
  for (const entry of entries) {
    if (entry.subresource || entry.manager === manager) continue;
    const owned = [...fromFieldsV1(entry.fieldsV1)].map(unkey);
    for (const k of appliedSet) {
      const p = unkey(k);
      const hit = owned.find(o => overlaps(o, p));
      if (!hit) continue;
      if (sameValue(getPath(live, p), getPath(applied, p))) continue;
      conflicts.push({
        manager: entry.manager,
        apiVersion: entry.apiVersion,
        field: renderPath(p),
      });
      if (force) {
        const remaining = fromFieldsV1(entry.fieldsV1);
        for (const o of owned) if (overlaps(o, p)) remaining.delete(key(o));
        entry.fieldsV1 = toFieldsV1(remaining);
      }
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);

  const mine = entries.find(
    e => e.manager === manager && e.operation === 'Apply' && !e.subresource,
  );
  const previous = mine ? fromFieldsV1(mine.fieldsV1) : new Set<string>();
  const othersOwn = entries
    .filter(e => e !== mine && !e.subresource)
    .flatMap(e => [...fromFieldsV1(e.fieldsV1)].map(unkey));

  const merged: Obj = structuredClone(live ?? {});
  delete merged.metadata?.managedFields;
  for (const k of previous) {
    if (appliedSet.has(k)) continue;
    const p = unkey(k);
    if (othersOwn.some(o => overlaps(o, p))) continue;
    deletePath(merged, p);
  }
  const body = structuredClone(applied);
  delete body.status;
  mergeInto(merged, body);

  const next = entries.filter(e => e !== mine);
  // an Update manager that applies the same values keeps its ownership;
  // managers left with nothing are dropped
  const result: ManagedFieldsEntry[] = [
    ...next.filter(e => fromFieldsV1(e.fieldsV1).size > 0),
    {
      manager,
      operation: 'Apply',
      apiVersion,
      time: now,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(appliedSet),
    },
  ];
  return { merged, managedFields: sortEntries(result) };
}

/** Records a non-apply write (create, update, status update) by `manager`. */
export function recordUpdate(options: {
  before: Obj | undefined;
  after: Obj;
  manager: string;
  apiVersion: string;
  now: string;
  subresource?: string;
}): ManagedFieldsEntry[] {
  const { before, after, manager, apiVersion, now, subresource } = options;
  const entries: ManagedFieldsEntry[] = structuredClone(
    before?.metadata?.managedFields ?? [],
  );
  const paths =
    subresource === 'status' ? statusPaths(after) : leafPaths(after);
  const changed = new Set(
    [...paths].filter(
      k =>
        !isDeepStrictEqual(getPath(before, unkey(k)), getPath(after, unkey(k))),
    ),
  );
  if (changed.size === 0) return entries;
  // the writer takes over the fields it changed
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Update') continue;
    if ((e.subresource ?? '') !== (subresource ?? '')) continue;
    const owned = fromFieldsV1(e.fieldsV1);
    for (const k of changed) owned.delete(k);
    e.fieldsV1 = toFieldsV1(owned);
  }
  const mine = entries.find(
    e =>
      e.manager === manager &&
      e.operation === 'Update' &&
      (e.subresource ?? '') === (subresource ?? ''),
  );
  if (mine) {
    const owned = fromFieldsV1(mine.fieldsV1);
    for (const k of changed) owned.add(k);
    mine.fieldsV1 = toFieldsV1(owned);
    mine.time = now;
    return sortEntries(entries.filter(e => fromFieldsV1(e.fieldsV1).size > 0));
  }
  return sortEntries([
    ...entries.filter(e => fromFieldsV1(e.fieldsV1).size > 0),
    {
      manager,
      operation: 'Update',
      apiVersion,
      time: now,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(changed),
      ...(subresource ? { subresource } : {}),
    },
  ]);
}

function sortEntries(entries: ManagedFieldsEntry[]) {
  return entries;
}

/** Two maps are the same field (their children are compared on their own). */
function sameValue(a: unknown, b: unknown) {
  if (isMap(a) && isMap(b)) return true;
  return isDeepStrictEqual(a, b);
}
