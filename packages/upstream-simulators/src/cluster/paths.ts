/*
 * Small shared helpers: field paths as the API server prints them, and the
 * repository root.
 */
import fs from 'node:fs';
import path from 'node:path';

/** `spec.limits[0].max` from `['spec', 'limits', '0', 'max']`. */
export function formatFieldPath(segments: string[]): string {
  let out = '';
  for (const seg of segments) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** The JSON type name the API server uses in type errors. */
export function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

/** The monorepo root: the nearest folder above `from` whose package.json has workspaces. */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      JSON.parse(fs.readFileSync(pkg, 'utf8')).workspaces
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `no repository root (package.json with workspaces) above ${from}`,
      );
    }
    dir = parent;
  }
}
