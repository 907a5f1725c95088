/*
 * Provisions tenants into a running simulator the way the portal does:
 * server-side apply of the management layer with the provisioner's field
 * manager, wait for the control plane, then the tenant layer inside the
 * tenant's own API server, and last the one-way gate: the run-scoped
 * kubeconfig grant deleted and the namespace labelled provisioned.
 */
import type { KubeObject as Obj } from '../types';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigSources } from '@backstage/config-loader';
import {
  API_SERVER_CA_ANNOTATION,
  API_SERVER_CA_FIELD_MANAGER,
  clusterGroupOfOwner,
  groupsFromCatalogYaml,
  HOSPITAL_TENANTS_FIELD_MANAGER,
  managementApplyOrder,
  PROVISIONED_LABEL_FIELD_MANAGER,
  PROVISIONER_KUBECONFIG_ACCESS,
  provisionedLabelPatch,
  parseHospitalTenantsConfigOrThrow,
  planTenantProvisioning,
  validateTenantSpec,
  pollUntil,
} from '@prontuario/plugin-hospital-tenants-node';
import type { ClusterSimulator } from './simulator';

/** A rendered tenant: its slug and the objects of both layers. @public */
export interface SeedTenant {
  slug: string;
  management: Obj[];
  tenant: Obj[];
}

/** Applies tenants and waits until their control planes are Ready. @public */
export async function seedTenants(
  sim: ClusterSimulator,
  tenants: SeedTenant[],
  options: { timeoutMs?: number } = {},
): Promise<void> {
  // as the provisioner, so deploy/rbac must allow what the plan contains
  const write = {
    manager: HOSPITAL_TENANTS_FIELD_MANAGER,
    user: sim.users.provisioner,
  };
  const tenantWrite = { manager: HOSPITAL_TENANTS_FIELD_MANAGER };
  for (const t of tenants) {
    // namespaces first, like the provisioner's ordered plan
    const ordered = [...t.management].sort(
      (a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'),
    );
    for (const obj of ordered) sim.management.apply(obj, write);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (const t of tenants) {
    const tcp = t.management.find(o => o.kind === 'TenantControlPlane');
    if (!tcp) continue;
    const { namespace, name } = tcp.metadata;
    let live: Obj | undefined;
    await pollUntil(
      async () => {
        live = sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          namespace,
          name,
        );
        const ready =
          live?.status?.kubernetesResources?.version?.status === 'Ready' &&
          live.status.observedGeneration >= live.metadata.generation;
        return ready ? true : undefined;
      },
      {
        timeoutMs: Math.max(0, deadline - Date.now()),
        intervalMs: 25,
        onTimeout: () => {
          throw new Error(
            `tenant ${t.slug}: the control plane did not become Ready (status ${
              live?.status?.kubernetesResources?.version?.status ?? 'none'
            })`,
          );
        },
      },
    );
    const cluster = sim.tenant(namespace, name);
    if (!cluster) throw new Error(`tenant ${t.slug}: no tenant API server`);
    const ordered = [...t.tenant].sort(
      (a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'),
    );
    for (const obj of ordered) cluster.apply(obj, tenantWrite);
    // the run's last steps: no grant left, the namespace labelled
    const rbac = 'rbac.authorization.k8s.io';
    for (const plural of ['rolebindings', 'roles']) {
      if (
        sim.management.get(
          rbac,
          plural,
          namespace,
          PROVISIONER_KUBECONFIG_ACCESS,
        )
      )
        sim.management.delete(
          rbac,
          plural,
          namespace,
          PROVISIONER_KUBECONFIG_ACCESS,
          sim.users.provisioner,
        );
    }
    sim.management.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          annotations: {
            [API_SERVER_CA_ANNOTATION]: Buffer.from(sim.caPem).toString(
              'base64',
            ),
          },
        },
      },
      { manager: API_SERVER_CA_FIELD_MANAGER, user: sim.users.provisioner },
    );
    sim.management.apply(provisionedLabelPatch(t.slug), {
      manager: PROVISIONED_LABEL_FIELD_MANAGER,
      user: sim.users.provisioner,
    });
  }
}

/**
 * The `hospitalTenants` configuration: from app-config.yaml and
 * app-config.local.yaml, read as the backend reads them
 * (`@backstage/config-loader`: the local file overrides, `${ENV}`
 * substitutions), else the node package's example.
 */
async function hospitalTenantsConfig(root: string): Promise<unknown> {
  const files = ['app-config.yaml', 'app-config.local.yaml']
    .map(file => path.join(root, file))
    .filter(file => fs.existsSync(file));
  if (files.length > 0) {
    const config = await ConfigSources.toConfig(
      ConfigSources.defaultForTargets({
        rootDir: root,
        targets: files.map(target => ({ type: 'path', target })),
        watch: false,
      }),
    );
    try {
      const block = config.getOptional('hospitalTenants');
      if (block) return block;
    } finally {
      config.close();
    }
  }
  const example = path.join(
    path.dirname(
      require.resolve('@prontuario/plugin-hospital-tenants-node/package.json'),
    ),
    'src/__fixtures__/app-config.hospital-tenants.yaml',
  );
  return parseYaml(fs.readFileSync(example, 'utf8')).hospitalTenants;
}

/**
 * The reference tenants of examples/tenants, planned by the one plan
 * function the portal uses (`planTenantProvisioning`), with each owner
 * group's cluster group from examples/org.yaml, as a provisioning run
 * applies them: the management layer with the run-scoped kubeconfig grant
 * right after the Namespace, then the tenant layer.
 *
 * @public
 */
export async function loadReferenceTenants(
  root: string,
): Promise<SeedTenant[]> {
  const config = parseHospitalTenantsConfigOrThrow(
    await hospitalTenantsConfig(root),
  );
  const groups = groupsFromCatalogYaml(
    fs.readFileSync(path.join(root, 'examples', 'org.yaml'), 'utf8'),
  );
  const dir = path.join(root, 'examples', 'tenants');
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .map(f => {
      const spec = validateTenantSpec(
        parseYaml(fs.readFileSync(path.join(dir, f), 'utf8')),
        config,
      );
      spec.clusterGroup = clusterGroupOfOwner(
        spec.ownerGroup,
        groups.get(spec.ownerGroup.toLocaleLowerCase('en-US')),
      );
      const plan = planTenantProvisioning(spec, config);
      return {
        slug: spec.slug,
        management: managementApplyOrder(plan),
        tenant: plan.tenant,
      };
    });
}
