/*
 * Provisions tenants into a running simulator the way the portal does:
 * server-side apply of the management layer with the provisioner's field
 * manager, wait for the control plane, then the tenant layer inside the
 * tenant's own API server.
 */
import type { ClusterSimulator } from './simulator';

type Obj = Record<string, any>;

/** A rendered tenant: its slug and the objects of both layers. @public */
export interface SeedTenant {
  slug: string;
  management: Obj[];
  tenant: Obj[];
}

/** The field manager the portal's provisioner applies with. */
export const SEED_FIELD_MANAGER = 'hospital-tenants-provisioner';

/** Applies tenants and waits until their control planes are Ready. @public */
export async function seedTenants(
  sim: ClusterSimulator,
  tenants: SeedTenant[],
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const write = { manager: SEED_FIELD_MANAGER };
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
    for (;;) {
      const live = sim.management.get(
        'kamaji.clastix.io',
        'tenantcontrolplanes',
        namespace,
        name,
      );
      if (
        live?.status?.kubernetesResources?.version?.status === 'Ready' &&
        live.status.observedGeneration >= live.metadata.generation
      ) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `tenant ${t.slug}: the control plane did not become Ready (status ${
            live?.status?.kubernetesResources?.version?.status ?? 'none'
          })`,
        );
      }
      await new Promise(r => setTimeout(r, 25));
    }
    const cluster = sim.tenant(namespace, name);
    if (!cluster) throw new Error(`tenant ${t.slug}: no tenant API server`);
    const ordered = [...t.tenant].sort(
      (a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'),
    );
    for (const obj of ordered) cluster.apply(obj, write);
  }
}

/**
 * The reference tenants of examples/tenants rendered by the domain core's
 * plan builder. Returns none while that builder is not available.
 */
export async function loadReferenceTenants(
  _root: string,
): Promise<SeedTenant[]> {
  return [];
}
