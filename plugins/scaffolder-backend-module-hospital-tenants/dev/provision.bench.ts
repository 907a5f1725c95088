/*
 * yarn bench:provision [runs]
 *
 * The overhead of hospital:tenant:provision itself: validation, plan, the
 * ownership checks and the server-side apply (read + apply, each in its
 * checkpoint) of every object of both layers, against the cluster simulator
 * started in-process with a ready delay of 0. The wait for the control plane
 * (Ready, observed generation, /readyz) is measured apart and excluded; the
 * catalog answers at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parse as parseYaml } from 'yaml';
import { startClusterSimulator } from '@prontuario/upstream-simulators';
import { KubernetesClusterClient } from '@prontuario/plugin-hospital-tenants-node';
import { createHospitalTenantProvisionAction } from '../src/actions/provision';

const noop = () => {};
const logger: any = {
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  child: () => logger,
};

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

async function main() {
  const runs = Number(process.argv[2] ?? 20);
  const block = parseYaml(
    fs.readFileSync(
      path.join(
        path.dirname(
          require.resolve(
            '@prontuario/plugin-hospital-tenants-node/package.json',
          ),
        ),
        'src/__fixtures__/app-config.hospital-tenants.yaml',
      ),
      'utf8',
    ),
  ).hospitalTenants;
  const sim = await startClusterSimulator({
    readyDelayMs: 0,
    reconcileLagMs: 0,
  });
  try {
    const management = KubernetesClusterClient.forTenantCluster(
      sim.kubeconfigs.provisioner,
    );
    const tenants = new Set<string>();
    const action = createHospitalTenantProvisionAction({
      config: new ConfigReader({
        hospitalTenants: {
          ...block,
          provisioning: { pollInterval: { milliseconds: 5 } },
        },
      }),
      clusters: {
        management: () => management,
        tenant: (ns, name, o) => management.tenantCluster(ns, name, o),
      },
      catalog: {
        async getEntityByRef(ref: string) {
          if (ref.startsWith('group:')) {
            return {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: {
                name: 'hospital-sao-joao',
                annotations: {
                  'hospital-tenants.io/cluster-group':
                    'hospital:hospital-sao-joao',
                },
              },
            };
          }
          return tenants.has(ref) ? { kind: 'Resource' } : undefined;
        },
      } as any,
      events: {
        async publish(p: any) {
          tenants.add(`resource:default/${p.eventPayload.tenantId}`);
        },
        async subscribe() {},
      },
      permissions: {
        authorize: async (r: any[]) =>
          r.map(() => ({ result: AuthorizeResult.ALLOW })),
        authorizeConditional: async (r: any[]) =>
          r.map(() => ({ result: AuthorizeResult.ALLOW })),
      } as any,
      auth: { getOwnServiceCredentials: async () => ({}) } as any,
      auditor: {
        createEvent: async () => ({
          success: async () => {},
          fail: async () => {},
        }),
      },
      logger,
    });

    const overheads: number[] = [];
    const waits: number[] = [];
    let objects = 0;
    for (let i = 0; i <= runs; i++) {
      const slug = `hospital-bench-${i}`;
      let waitMs = 0;
      const state: Record<string, any> = {};
      const ctx: any = {
        logger,
        input: {
          displayName: `Hospital Bench ${i}`,
          slug,
          region: 'southamerica-east1',
          environment: 'production',
          dailyUsers: 150,
          departments: ['Clínica Geral', 'Emergência', 'Maternidade'],
          dataStore: 'postgresql-gold',
          monthlyBudgetBrl: 8000,
          ownerGroup: 'group:default/hospital-sao-joao',
        },
        task: { id: `bench-${i}` },
        user: { ref: 'user:default/ana.platform' },
        output: noop,
        getInitiatorCredentials: async () => ({}),
        async checkpoint({ key, fn }: { key: string; fn: () => any }) {
          const started = performance.now();
          try {
            const value = await fn();
            state[key] = { status: 'success', value: value ?? {} };
            return value;
          } catch (e) {
            state[key] = { status: 'failed', reason: String(e) };
            throw e;
          } finally {
            if (key.endsWith('.ready')) waitMs += performance.now() - started;
          }
        },
      };
      const started = performance.now();
      await action.handler(ctx);
      const total = performance.now() - started;
      if (i === 0) {
        objects = Object.keys(state).filter(k => /-cluster\./.test(k)).length;
        continue; // warm-up
      }
      overheads.push(total - waitMs);
      waits.push(waitMs);
    }
    overheads.sort((a, b) => a - b);
    waits.sort((a, b) => a - b);
    const f = (n: number) => `${n.toFixed(0)} ms`;
    process.stdout.write(
      [
        `hospital:tenant:provision overhead, ${runs} runs (3 departments, ${objects} objects of both layers), simulator ready delay 0`,
        `  validation + plan + checks + apply of both layers (excluding the wait):`,
        `    median ${f(percentile(overheads, 50))}  p95 ${f(
          percentile(overheads, 95),
        )}  min ${f(overheads[0])}  max ${f(overheads[overheads.length - 1])}`,
        `  wait for Ready + /readyz (excluded): median ${f(
          percentile(waits, 50),
        )}`,
        `  target: < 2000 ms for one tenant: ${
          percentile(overheads, 95) < 2000 ? 'met' : 'NOT met'
        }`,
        '',
      ].join('\n'),
    );
  } finally {
    await sim.stop();
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
