#!/usr/bin/env node
/*
 * yarn bench:bundle — the hospital-tenants plugin's share of the app's
 * initial bundle (the chunks the browser loads before any lazy import), in
 * kB gzip, against its budget of 30 kB (BUNDLE_BUDGET_KB). Builds
 * packages/app with `backstage-cli package build --stats` unless
 * `--no-build` is given (then it reads packages/app/dist/bundle-stats.json).
 *
 * A module's gzip share is its chunk's gzip size × its part of the chunk's
 * module bytes (the bundler's stats give module sizes before minification,
 * so the share is an estimate; the chunk totals are exact). Also fails when
 * a module of recharts (the cost charts, lazy) is in the initial bundle.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '..');
const app = path.join(root, 'packages/app');
const dist = path.join(app, 'dist');
const budgetKb = Number(process.env.BUNDLE_BUDGET_KB ?? 30);
const OURS = /(^|\/)plugins\/hospital-tenants(-common)?\/src\//;
const LAZY_ONLY = /node_modules\/recharts\//;

if (!process.argv.includes('--no-build')) {
  process.stderr.write('Building packages/app with bundle stats…\n');
  execFileSync('yarn', ['backstage-cli', 'package', 'build', '--stats'], {
    cwd: app,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const statsFile = path.join(dist, 'bundle-stats.json');
const stats = JSON.parse(fs.readFileSync(statsFile, 'utf8'));

const gzip = file =>
  zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;

/** modules by chunk id, with concatenated modules' inner names */
const modulesOf = new Map();
for (const m of stats.modules) {
  for (const id of m.chunks ?? []) {
    if (!modulesOf.has(String(id))) modulesOf.set(String(id), []);
    modulesOf.get(String(id)).push(m);
  }
}
const names = m => [
  m.name ?? m.identifier ?? '',
  ...(m.modules ?? []).map(n => n.name ?? ''),
];

let initialGzip = 0;
let oursGzip = 0;
let oursRaw = 0;
const lazyInInitial = [];
const perChunk = [];
for (const chunk of stats.chunks.filter(c => c.initial)) {
  const files = chunk.files.filter(f => f.endsWith('.js'));
  const chunkGzip = files.reduce((sum, f) => sum + gzip(f), 0);
  initialGzip += chunkGzip;
  const mods = modulesOf.get(String(chunk.id)) ?? [];
  const total = mods.reduce((sum, m) => sum + (m.size ?? 0), 0);
  let ours = 0;
  for (const m of mods) {
    const ns = names(m);
    if (ns.some(n => LAZY_ONLY.test(n))) lazyInInitial.push(ns[0]);
    // a concatenated module counts for the part that is ours
    if (m.modules?.length) {
      for (const inner of m.modules) {
        if (OURS.test(inner.name ?? '')) ours += inner.size ?? 0;
      }
    } else if (OURS.test(ns[0])) ours += m.size ?? 0;
  }
  if (ours > 0 && total > 0) {
    const share = (chunkGzip * ours) / total;
    oursGzip += share;
    oursRaw += ours;
    perChunk.push({ files: files.join(','), ours, total, share });
  }
}

const kb = n => (n / 1024).toFixed(1);
const lines = [
  `Initial bundle: ${kb(initialGzip)} kB gzip in ${
    stats.chunks.filter(c => c.initial).length
  } chunks`,
  `hospital-tenants plugin (+ -common) in it: ${kb(oursGzip)} kB gzip (${kb(
    oursRaw,
  )} kB of module source), budget ${budgetKb} kB`,
  ...perChunk.map(
    c =>
      `  ${c.files}: ${kb(c.share)} kB gzip (${kb(c.ours)} of ${kb(
        c.total,
      )} kB source)`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
let failed = false;
if (lazyInInitial.length) {
  process.stderr.write(
    `recharts is in the initial bundle (it must load lazily): ${lazyInInitial
      .slice(0, 5)
      .join(', ')}\n`,
  );
  failed = true;
}
if (oursGzip / 1024 > budgetKb) {
  process.stderr.write(
    `The plugin's share of the initial bundle, ${kb(
      oursGzip,
    )} kB gzip, is over its ${budgetKb} kB budget\n`,
  );
  failed = true;
}
process.exit(failed ? 1 : 0);
