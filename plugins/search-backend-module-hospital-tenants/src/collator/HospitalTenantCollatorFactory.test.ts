import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TestPipeline } from '@backstage/plugin-search-backend-node';
import {
  TenantList,
  TenantListItem,
} from '@prontuario/plugin-hospital-tenants-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { HospitalTenantCollatorFactory } from './HospitalTenantCollatorFactory';
import { HospitalTenantDocument } from './HospitalTenantDocument';
import { TenantApiSource } from './TenantApiSource';

function tenantEntity(
  slug: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: slug,
      namespace: 'default',
      annotations: {
        'hospital-tenants.io/tenant-id': slug,
        // cost and SLA targets are never indexed
        'hospital-tenants.io/monthly-budget-brl': '42000',
        'hospital-tenants.io/daily-users': '1200',
        ...annotations,
      },
    },
    spec: { type: 'hospital-tenant', owner: `group:default/${slug}` },
  };
}

const saoJoao = tenantEntity('hospital-sao-joao', {
  'hospital-tenants.io/display-name': 'Hospital São João',
  'hospital-tenants.io/departments': 'Emergência, Diagnóstico por Imagem',
  'hospital-tenants.io/region': 'southamerica-east1',
  'hospital-tenants.io/environment': 'production',
  'hospital-tenants.io/kubernetes-version': 'v1.30.2',
  'hospital-tenants.io/owner': 'group:default/hospital-sao-joao',
});
const santaMaria = tenantEntity('hospital-santa-maria', {
  'hospital-tenants.io/display-name': 'Hospital Santa Maria',
  'hospital-tenants.io/departments': 'Pediatria,Ortopedia',
  'hospital-tenants.io/region': 'southamerica-east1',
  'hospital-tenants.io/environment': 'staging',
  'hospital-tenants.io/kubernetes-version': 'v1.30.2',
  'hospital-tenants.io/owner': 'group:default/hospital-santa-maria',
});

const items: TenantListItem[] = [
  {
    tenantId: 'hospital-santa-maria',
    entityRef: 'resource:default/hospital-santa-maria',
    summary: {
      phase: 'Ready',
      version: 'v1.30.3',
      isolationScore: 100,
      asOf: '2026-11-30T04:00:00Z',
      stale: false,
    },
    sla: {
      verdict: 'met',
      alert: 'ok',
      asOf: '2026-11-30T04:00:00Z',
      stale: false,
    },
  },
  // gone from the catalog between the two reads: not indexed
  {
    tenantId: 'hospital-removido',
    entityRef: 'resource:default/hospital-removido',
  },
  {
    tenantId: 'hospital-sao-joao',
    entityRef: 'resource:default/hospital-sao-joao',
    // before the first SLA refresh: no verdict in the document
    sla: { verdict: 'unknown', alert: 'unknown', asOf: null, stale: true },
  },
];

/** A stand-in of the tenant API's `GET /tenants`: the real wire format, one item per page. */
async function startTenantApi() {
  const requests: Array<{ url: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url!, authorization: req.headers.authorization });
    const url = new URL(req.url!, 'http://localhost');
    if (url.pathname !== '/api/hospital-tenants/tenants') {
      res.writeHead(404).end();
      return;
    }
    const start = url.searchParams.get('cursor')
      ? Number(Buffer.from(url.searchParams.get('cursor')!, 'base64url'))
      : 0;
    const limit = Number(url.searchParams.get('limit'));
    const page: TenantList = { items: items.slice(start, start + limit) };
    if (start + limit < items.length) {
      page.nextCursor = Buffer.from(String(start + limit)).toString(
        'base64url',
      );
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(page));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    baseUrl: `http://127.0.0.1:${port}/api/hospital-tenants`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describe('HospitalTenantCollatorFactory', () => {
  let api: Awaited<ReturnType<typeof startTenantApi>>;
  beforeAll(async () => {
    api = await startTenantApi();
  });
  afterAll(() => api.close());

  function factory(pageSize = 1) {
    return HospitalTenantCollatorFactory.fromSource(
      new TenantApiSource({
        auth: mockServices.auth({ pluginId: 'search' }),
        discovery: {
          getBaseUrl: async () => api.baseUrl,
          getExternalBaseUrl: async () => api.baseUrl,
        },
        catalog: catalogServiceMock({ entities: [saoJoao, santaMaria] }),
        logger: mockServices.logger.mock(),
        pageSize,
      }),
    );
  }

  it('is the hospital-tenant type, visible with hospital-tenants.tenant.read', () => {
    const f = factory();
    expect(f.type).toBe('hospital-tenant');
    expect(f.visibilityPermission.name).toBe('hospital-tenants.tenant.read');
  });

  it('follows the cursor with service credentials and yields one document per tenant with an entity', async () => {
    api.requests.length = 0;
    const { error, documents } = await TestPipeline.fromCollator(
      await factory().getCollator(),
    ).execute();
    expect(error).toBeUndefined();
    expect(api.requests.map(r => r.url)).toEqual([
      '/api/hospital-tenants/tenants?limit=1',
      `/api/hospital-tenants/tenants?limit=1&cursor=${Buffer.from('1').toString(
        'base64url',
      )}`,
      `/api/hospital-tenants/tenants?limit=1&cursor=${Buffer.from('2').toString(
        'base64url',
      )}`,
    ]);
    for (const { authorization } of api.requests) {
      expect(authorization).toMatch(/^Bearer .+/);
      const token = authorization!.slice('Bearer '.length);
      // a service token of the search plugin for the tenant API
      expect(JSON.parse(token.replace(/^mock-service-token:/, ''))).toEqual({
        sub: 'plugin:search',
        target: 'hospital-tenants',
      });
    }
    expect(documents).toEqual<HospitalTenantDocument[]>([
      {
        title: 'Hospital Santa Maria',
        text: 'Hospital Santa Maria hospital-santa-maria southamerica-east1 staging Pediatria Ortopedia',
        location: '/catalog/default/resource/hospital-santa-maria',
        tenantId: 'hospital-santa-maria',
        hospitalName: 'Hospital Santa Maria',
        hospitalNameFolded: 'Hospital Santa Maria',
        region: 'southamerica-east1',
        environment: 'staging',
        departments: ['Pediatria', 'Ortopedia'],
        owner: 'group:default/hospital-santa-maria',
        kubernetesVersion: 'v1.30.3',
        phase: 'Ready',
        slaVerdict: 'met',
        authorization: { resourceRef: 'resource:default/hospital-santa-maria' },
      },
      {
        title: 'Hospital São João',
        text: 'Hospital São João Hospital Sao Joao hospital-sao-joao southamerica-east1 production Emergência Emergencia Diagnóstico por Imagem Diagnostico por Imagem',
        location: '/catalog/default/resource/hospital-sao-joao',
        tenantId: 'hospital-sao-joao',
        hospitalName: 'Hospital São João',
        hospitalNameFolded: 'Hospital Sao Joao',
        region: 'southamerica-east1',
        environment: 'production',
        departments: ['Emergência', 'Diagnóstico por Imagem'],
        owner: 'group:default/hospital-sao-joao',
        // not read by the API yet: the requested version
        kubernetesVersion: 'v1.30.2',
        phase: '',
        slaVerdict: '',
        authorization: { resourceRef: 'resource:default/hospital-sao-joao' },
      },
    ]);
    // no cost figures, no personal data
    expect(JSON.stringify(documents)).not.toMatch(/42000|1200|budget|users/i);
  });

  it('fails the run when the tenant API refuses', async () => {
    const refusing = HospitalTenantCollatorFactory.fromSource(
      new TenantApiSource({
        auth: mockServices.auth({ pluginId: 'search' }),
        discovery: {
          getBaseUrl: async () => `${api.baseUrl}/nowhere`,
          getExternalBaseUrl: async () => api.baseUrl,
        },
        catalog: catalogServiceMock({ entities: [] }),
        logger: mockServices.logger.mock(),
      }),
    );
    const { error } = await TestPipeline.fromCollator(
      await refusing.getCollator(),
    ).execute();
    expect(String(error)).toMatch(/404/);
  });
});
