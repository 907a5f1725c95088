/*
 * `yarn workspace @prontuario/upstream-simulators start`: the cluster
 * simulator as a process, for `yarn start` of the portal.
 */
import path from 'node:path';
import { startClusterSimulator } from './cluster/simulator';
import { findRepoRoot } from './cluster/paths';
import { loadReferenceTenants, seedTenants } from './cluster/seed';
import { loadExamplePeople } from './identity/people';
import {
  LOCAL_PORTAL_CLIENT,
  startIdentityProvider,
} from './identity/provider';
import { startCostSimulator } from './cost/server';
import { startPrometheusSimulator } from './prometheus/simulator';

async function main() {
  const root = findRepoRoot();
  const outDir = process.env.SIMULATORS_DIR ?? path.join(root, '.simulators');
  const port = Number(process.env.CLUSTER_SIMULATOR_PORT ?? 7443);
  // The identity provider first: the backend discovers its issuer once, at
  // start, and `yarn start` starts the backend after the ready line below.
  const idp = await startIdentityProvider({
    port: Number(process.env.IDENTITY_PROVIDER_PORT ?? 7444),
    people: loadExamplePeople(root),
    clients: [LOCAL_PORTAL_CLIENT],
  });
  // The tenant SLA's Prometheus (app-config.yaml hospitalTenants.sla).
  const prometheus = await startPrometheusSimulator({
    port: Number(process.env.PROMETHEUS_SIMULATOR_PORT ?? 7490),
  });
  const sim = await startClusterSimulator({
    port,
    outDir,
    reuseState: true,
    readyDelayMs: Number(process.env.CLUSTER_SIMULATOR_READY_DELAY_MS ?? 5000),
  });
  const tenants = await loadReferenceTenants(root);
  await seedTenants(sim, tenants);
  // Kubecost (federated: every cluster) and OpenCost, before the ready line
  const kubecost = await startCostSimulator({
    kind: 'kubecost',
    port: Number(process.env.KUBECOST_SIMULATOR_PORT ?? 9090),
  });
  const opencost = await startCostSimulator({
    kind: 'opencost',
    port: Number(process.env.OPENCOST_SIMULATOR_PORT ?? 9003),
  });
  process.stdout.write(
    `cost simulators: Kubecost ${kubecost.url}/model, OpenCost ${opencost.url}\n`,
  );
  // scripts/start-portal.js (`yarn start`) waits for this line before it
  // starts the portal: keep its prefix.
  process.stdout.write(
    `identity provider: issuer ${idp.issuer}; ${idp.people.length} accounts; discovery ${idp.metadataUrl}\n`,
  );
  process.stdout.write(
    `prometheus simulator: ${prometheus.url} (default SLA queries only)\n`,
  );
  process.stdout.write(
    `cluster simulator: management API ${sim.url}; kubeconfigs and CA in ${outDir}; ${tenants.length} reference tenants provisioned\n`,
  );
  const shutdown = () => {
    Promise.all([
      sim.stop(),
      idp.stop(),
      kubecost.stop(),
      opencost.stop(),
      prometheus.stop(),
    ]).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch(e => {
  process.stderr.write(`cluster simulator failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
