import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startClusterSimulator } from './simulator';
import { rawRequest } from './testUtils';

// the first simulator of a process compiles Kamaji's schema; CI machines are slow
jest.setTimeout(60_000);

describe('the files a simulator writes', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-sim-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the CA, kubeconfigs and tokens, private to the user', async () => {
    const sim = await startClusterSimulator({ outDir: dir });
    try {
      for (const f of [
        'ca.crt',
        'admin.kubeconfig',
        'provisioner.kubeconfig',
        'reader.kubeconfig',
        'reader.token',
        'provisioner.token',
        'state.json',
      ]) {
        expect(fs.statSync(path.join(dir, f)).mode & 0o077).toBe(0);
      }
      expect(fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8')).toBe(sim.caPem);
      const kubeconfig = fs.readFileSync(
        path.join(dir, 'reader.kubeconfig'),
        'utf8',
      );
      expect(
        (await rawRequest(kubeconfig, 'GET', '/api/v1/namespaces')).status,
      ).toBe(200);
    } finally {
      await sim.stop();
    }
  });

  it('keeps the CA and the tokens across restarts when asked to', async () => {
    const first = await startClusterSimulator({
      outDir: dir,
      reuseState: true,
    });
    const kubeconfig = first.kubeconfigs.reader;
    const port = Number(new URL(first.url).port);
    await first.stop();
    const second = await startClusterSimulator({
      outDir: dir,
      reuseState: true,
      port,
    });
    try {
      expect(second.caPem).toBe(first.caPem);
      // the old kubeconfig (CA and token) still works against the new process
      expect(
        (await rawRequest(kubeconfig, 'GET', '/api/v1/namespaces')).status,
      ).toBe(200);
    } finally {
      await second.stop();
    }
    const fresh = await startClusterSimulator({ outDir: dir });
    try {
      expect(fresh.caPem).not.toBe(first.caPem);
    } finally {
      await fresh.stop();
    }
  });
});
