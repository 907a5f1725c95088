#!/usr/bin/env node
/*
 * `yarn start`: the local upstream simulators first (the management cluster
 * with the three reference tenants, and the local identity provider), then
 * the portal (app on :3000, backend
 * on :7007) once the simulators have written their kubeconfigs. Stopping
 * either stops both.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const children = [];
let stopping = false;

function run(name, args, onLine) {
  const child = spawn('yarn', args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  children.push(child);
  let buffer = '';
  child.stdout.on('data', chunk => {
    process.stdout.write(chunk);
    if (onLine) {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop();
      lines.forEach(onLine);
    }
  });
  child.on('exit', code => {
    if (!stopping) {
      process.stderr.write(`${name} exited with ${code}; stopping\n`);
      stop(code ?? 1);
    }
  });
  return child;
}

function stop(code) {
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
    }
  }
  setTimeout(() => process.exit(code), 500).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The shared config, the local sign-in (guest and the local identity
// provider; never merged in production) and a personal app-config.local.yaml
// when there is one.
function configArgs() {
  return [
    'app-config.yaml',
    'app-config.development.yaml',
    'app-config.local.yaml',
  ]
    .map(file => path.join(root, file))
    .filter(file => fs.existsSync(file))
    .flatMap(file => ['--config', file]);
}

// Printed by packages/upstream-simulators/src/start.ts once the kubeconfigs
// are written and the reference tenants are Ready.
const SIMULATORS_READY = 'cluster simulator: management API';
let portalStarted = false;
const timeout = setTimeout(() => {
  process.stderr.write('the upstream simulators did not start within 120 s\n');
  stop(1);
}, 120_000);

run(
  'upstream simulators',
  ['workspace', '@prontuario/upstream-simulators', 'start'],
  line => {
    if (
      !portalStarted &&
      line.startsWith('cluster simulator: management API')
    ) {
      portalStarted = true;
      clearTimeout(timeout);
      run('portal', ['backstage-cli', 'repo', 'start', ...configArgs()]);
    }
  },
);
