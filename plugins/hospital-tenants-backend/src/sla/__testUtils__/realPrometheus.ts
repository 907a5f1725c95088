import { spawn, ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';

const run = promisify(execFile);

/** A real Prometheus (Debian's 2.42 here) over a backfilled TSDB in a temp dir, on a free port. */
export interface RealPrometheus {
  baseUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
) {
  await pollUntil(
    async () => {
      if (child.exitCode !== null) {
        throw new Error(`prometheus exited (${child.exitCode}):\n${output()}`);
      }
      try {
        const response = await fetch(`${baseUrl}/-/ready`);
        return response.ok ? true : undefined;
      } catch {
        return undefined; // not listening yet
      }
    },
    {
      timeoutMs,
      intervalMs: 200,
      onTimeout: () => {
        throw new Error(
          `prometheus not ready in ${timeoutMs} ms:\n${output()}`,
        );
      },
    },
  );
}

/**
 * Backfills `openMetrics` with `promtool tsdb create-blocks-from openmetrics`
 * and starts `prometheus` on it, with a retention long enough for the data
 * and no scrape targets (nothing newer ever arrives).
 */
export async function startRealPrometheus(
  openMetrics: string,
): Promise<RealPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'sla-prometheus-'));
  const om = join(dir, 'series.om');
  const tsdb = join(dir, 'tsdb');
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(om, openMetrics);
  await writeFile(
    configFile,
    'global: {scrape_interval: 1m}\nscrape_configs: []\n',
  );
  await run(
    'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--max-block-duration=24h',
      om,
      tsdb,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const port = await freePort();
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${tsdb}`,
      '--storage.tsdb.retention.time=400d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(baseUrl, child, () => log, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}
