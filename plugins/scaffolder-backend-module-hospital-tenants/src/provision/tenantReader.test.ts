import { NotAllowedError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { stringify as stringifyYaml } from 'yaml';
import {
  API_SERVER_CA_ANNOTATION,
  ManagementClusterAccess,
  TENANT_CHECKER_SERVICE_ACCOUNT,
  tenantAudience,
  tenantClusterReaderAccess,
} from '@prontuario/plugin-hospital-tenants-node';
import { ClusterSimulator } from '@prontuario/upstream-simulators';
import {
  allow,
  clientFrom,
  fakeCatalogAndEvents,
  mockActionContext,
  recordingAuditor,
  seedSantaMaria,
  simulatorClusters,
  specInput,
  startSimulator,
  testConfig,
} from '../__testUtils__/harness';
import { createHospitalTenantProvisionAction } from '../actions/provision';

jest.setTimeout(60_000);

let sim: ClusterSimulator;
const slug = 'hospital-leitura';

const readerAccess = (): ManagementClusterAccess => {
  const client = clientFrom(sim.kubeconfigs.reader);
  return { identity: 'reader', configured: true, client: () => client };
};

beforeAll(async () => {
  sim = await startSimulator();
  await seedSantaMaria(sim);
  const fakes = fakeCatalogAndEvents();
  const action = createHospitalTenantProvisionAction({
    config: testConfig(),
    clusters: simulatorClusters(sim),
    catalog: fakes.catalog,
    events: fakes.events,
    permissions: allow(),
    auth: mockServices.auth({ pluginId: 'scaffolder' }),
    auditor: recordingAuditor().auditor,
    logger: mockServices.logger.mock(),
  });
  const run = mockActionContext(specInput({ slug }), { taskId: 't-reader' });
  await action.handler(run.ctx);
});

afterAll(async () => {
  await sim?.stop();
});

const KEY = {
  NetworkPolicy: 'networking.k8s.io/v1',
};

describe("the portal's read-only identity in a tenant cluster", () => {
  it('the run published the tenant API server CA, and no secret', () => {
    const ns: any = sim.management.get(
      '',
      'namespaces',
      undefined,
      `tenant-${slug}`,
    );
    expect(
      Buffer.from(ns.metadata.annotations[API_SERVER_CA_ANNOTATION], 'base64')
        .toString()
        .startsWith('-----BEGIN CERTIFICATE-----'),
    ).toBe(true);
  });

  it("can list a department's NetworkPolicies, and cannot create one or read a Secret", async () => {
    const tenant = await tenantClusterReaderAccess(readerAccess()).client(slug);
    const policies = await tenant.list(KEY.NetworkPolicy, 'NetworkPolicy', {
      namespace: 'emergencia',
    });
    expect(policies.map(p => p.metadata.name)).toContain('default-deny-all');
    // the quotas, limits, RBAC and the namespaces the isolation report reads
    expect(
      (await tenant.list('v1', 'Namespace')).map(n => n.metadata.name),
    ).toEqual(expect.arrayContaining(['clinica-geral', 'emergencia']));
    await tenant.list('v1', 'ResourceQuota', { namespace: 'emergencia' });
    await tenant.list('rbac.authorization.k8s.io/v1', 'RoleBinding', {
      namespace: 'emergencia',
    });

    await expect(
      tenant.apply(
        {
          apiVersion: KEY.NetworkPolicy,
          kind: 'NetworkPolicy',
          metadata: { name: 'allow-all', namespace: 'emergencia' },
          spec: { podSelector: {}, ingress: [{}] },
        } as any,
        { fieldManager: 'intruder' },
      ),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      tenant.list('v1', 'Secret', { namespace: 'emergencia' }),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      tenant.list('v1', 'Pod', { namespace: 'emergencia' }),
    ).rejects.toThrow(NotAllowedError);
  });

  it('works for a tenant provisioned by the seed (the reference tenants) through the same plan', async () => {
    const tenant = await tenantClusterReaderAccess(readerAccess()).client(
      'hospital-santa-maria',
    );
    const policies = await tenant.list(KEY.NetworkPolicy, 'NetworkPolicy', {
      namespace: 'cardiologia',
    });
    expect(policies.length).toBeGreaterThan(0);
  });

  it("refuses a token for one tenant's audience at another tenant's API server", async () => {
    const management = clientFrom(sim.kubeconfigs.reader);
    const { token } = await management.requestServiceAccountToken(
      TENANT_CHECKER_SERVICE_ACCOUNT.namespace,
      TENANT_CHECKER_SERVICE_ACCOUNT.name,
      { audiences: [tenantAudience(slug)], expirationSeconds: 600 },
    );
    const endpointOf = (name: string) =>
      (
        sim.management.get(
          'kamaji.clastix.io',
          'tenantcontrolplanes',
          `tenant-${name}`,
          name,
        ) as any
      ).status.controlPlaneEndpoint as string;
    const clientWith = (name: string, bearer = token) =>
      clientFrom(
        stringifyYaml({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name,
              cluster: {
                server: `https://${endpointOf(name)}`,
                'certificate-authority-data': Buffer.from(sim.caPem).toString(
                  'base64',
                ),
              },
            },
          ],
          users: [{ name: 'checker', user: { token: bearer } }],
          contexts: [{ name, context: { cluster: name, user: 'checker' } }],
          'current-context': name,
        }),
      );
    // its own tenant accepts it
    await clientWith(slug).list(KEY.NetworkPolicy, 'NetworkPolicy', {
      namespace: 'emergencia',
    });
    // another ServiceAccount's token for the right audience is refused by
    // the configuration's claim rule (only the checker is accepted)
    const other = await clientFrom(
      sim.kubeconfigs.admin,
    ).requestServiceAccountToken('backstage', 'hospital-tenants-reader', {
      audiences: [tenantAudience(slug)],
      expirationSeconds: 600,
    });
    await expect(
      clientWith(slug, other.token).list('v1', 'Namespace'),
    ).rejects.toThrow(/Unauthorized|401/);
    // another tenant's API server does not know that audience
    await expect(
      clientWith('hospital-santa-maria').list(
        KEY.NetworkPolicy,
        'NetworkPolicy',
        { namespace: 'cardiologia' },
      ),
    ).rejects.toThrow(/Unauthorized|401/);
  });

  it('only the reader may request the checker token, and only for the checker', async () => {
    const ask = (kubeconfig: string, name: string) =>
      clientFrom(kubeconfig).requestServiceAccountToken('backstage', name, {
        audiences: [tenantAudience(slug)],
        expirationSeconds: 600,
      });
    await expect(
      ask(sim.kubeconfigs.provisioner, TENANT_CHECKER_SERVICE_ACCOUNT.name),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      ask(sim.kubeconfigs.reader, 'hospital-tenants-provisioner'),
    ).rejects.toThrow(NotAllowedError);
  });

  it('refuses an unknown tenant without reaching any API server', async () => {
    await expect(
      tenantClusterReaderAccess(readerAccess()).client('hospital-inexistente'),
    ).rejects.toThrow('No tenant "hospital-inexistente"');
    await expect(
      tenantClusterReaderAccess(readerAccess()).client('../etc'),
    ).rejects.toThrow('is not a tenant id');
  });
});
