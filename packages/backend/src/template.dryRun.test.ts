/*
 * The "New Hospital Tenant" template, as the form sends it, dry-run by the
 * real scaffolder backend with the real provision action (backend code, so
 * the test lives in the backend package).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleHospitalTenants from '@prontuario/plugin-scaffolder-backend-module-hospital-tenants';
import { managementClusterProvisionerServiceRef } from '@prontuario/plugin-hospital-tenants-node';
import { departmentNamespaceName } from '@prontuario/plugin-hospital-tenants-common';

jest.setTimeout(60_000);

/** The complete example `hospitalTenants` configuration (the -node fixture). */
function exampleHospitalTenants() {
  return parse(
    readFileSync(
      resolve(
        __dirname,
        '../../../plugins/hospital-tenants-node/src/__fixtures__/app-config.hospital-tenants.yaml',
      ),
      'utf8',
    ),
  ).hospitalTenants;
}

const PLATFORM_USER = 'user:default/ana.platform';

const template = parse(
  readFileSync(
    resolve(__dirname, '../../../templates/new-hospital-tenant/template.yaml'),
    'utf8',
  ),
);

/** What the form sends for a fourth hospital (the fields' values included). */
const values = {
  displayName: 'Hospital Nossa Senhora da Conceição',
  slug: 'hospital-nossa-senhora-da-conceicao',
  ownerGroup: 'group:default/hospital-conceicao',
  region: 'southamerica-east1',
  environment: 'production',
  dailyUsers: 220,
  departments: ['Pronto-Socorro', 'Pediatria', 'Oncologia', 'Radiologia'],
  monthlyBudgetBrl: 16000,
  sla: { p95Seconds: 2, availabilityPercent: 99.9, throughputRps: 1000 },
  kubernetesVersion: 'v1.35.7',
  approvedExternalApiCidrs: ['200.160.0.0/20'],
  review: { tier: 'medium', monthlyLowBrl: 1, monthlyHighBrl: 2 },
};

describe('the New Hospital Tenant template, dry run through the scaffolder API', () => {
  const clusterCalls: string[] = [];
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleHospitalTenants,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: {
                name: 'hospital-conceicao',
                namespace: 'default',
                annotations: {
                  'hospital-tenants.io/cluster-group': 'hospital:conceicao',
                },
              },
              spec: { type: 'hospital', children: [] },
            },
          ],
        }),
        // A dry run must not touch a cluster: every call is recorded.
        createServiceFactory({
          service: managementClusterProvisionerServiceRef,
          deps: {},
          factory: () => ({
            identity: 'provisioner' as const,
            configured: true,
            client: () => {
              clusterCalls.push('management');
              throw new Error('dry run reached the management cluster');
            },
          }),
        }),
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () =>
            ({
              authorize: async (requests: unknown[]) =>
                requests.map(() => ({ result: AuthorizeResult.ALLOW })),
              authorizeConditional: async (requests: unknown[]) =>
                requests.map(() => ({ result: AuthorizeResult.ALLOW })),
            } as any),
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            hospitalTenants: exampleHospitalTenants(),
          },
        }),
      ],
    }));
  });

  it('renders the plan for a fourth hospital, outputs the tenant and links to its page and the task log', async () => {
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header(PLATFORM_USER))
      .send({ template, values, directoryContents: [] });
    expect(res.status).toBe(200);
    expect(clusterCalls).toEqual([]);
    expect(res.body.steps).toEqual([
      expect.objectContaining({
        id: 'provision',
        action: 'hospital:tenant:provision',
      }),
    ]);
    expect(res.body.output.links).toEqual([
      expect.objectContaining({
        title: 'Open the tenant',
        entityRef: 'resource:default/hospital-nossa-senhora-da-conceicao',
      }),
      expect.objectContaining({
        title: 'Task log',
        url: expect.stringMatching(/^\/create\/tasks\/.+/),
      }),
    ]);
    // The objects the review step announces are the ones the action would apply.
    const log = (res.body.log as Array<{ body: { message?: string } }>)
      .map(l => l.body.message ?? '')
      .join('\n');
    for (const department of values.departments) {
      expect(log).toMatch(
        new RegExp(
          `would apply ResourceQuota ${departmentNamespaceName(department)}/`,
        ),
      );
    }
    expect(log).toContain(
      'would apply Namespace tenant-hospital-nossa-senhora-da-conceicao',
    );
    const tenantText = res.body.output.text[0].content as string;
    expect(tenantText).toContain('`hospital-nossa-senhora-da-conceicao`');
    expect(tenantText).toContain(
      '`tenant-hospital-nossa-senhora-da-conceicao`',
    );
  });

  it('fails the dry run with the field named when the form is bypassed with a bad slug', async () => {
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header(PLATFORM_USER))
      .send({
        template,
        values: { ...values, slug: 'Hospital Conceição' },
        directoryContents: [],
      });
    const log = JSON.stringify(res.body);
    expect(log).toMatch(/slug/);
    expect(log).toMatch(/DNS-1035/);
    expect(clusterCalls).toEqual([]);
  });
});
