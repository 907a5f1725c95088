/**
 * @jest-environment node
 */
import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { HospitalTenantsClient } from './HospitalTenantsClient';

const base = 'http://backend.test/api/hospital-tenants';
const server = setupServer();

const status = {
  tenantId: 'hospital-santa-maria',
  entityRef: 'resource:default/hospital-santa-maria',
  phase: 'Ready',
  version: { desired: 'v1.33.1', observed: 'v1.33.1' },
  endpoint: '10.10.10.200:6443',
  replicas: { desired: 2, ready: 2 },
  conditions: [{ type: 'Available', status: 'True' }],
  dataStore: { name: 'etcd-shared', driver: 'etcd', schema: 'x' },
  createdAt: '2026-11-30T00:00:00Z',
  ageSeconds: 60,
  asOf: '2026-11-30T00:01:00.000Z',
  stale: false,
};

describe('HospitalTenantsClient', () => {
  registerMswTestHooks(server);
  const client = new HospitalTenantsClient({
    discoveryApi: { getBaseUrl: async () => base },
    fetchApi: new MockFetchApi(),
  });

  it('reads and validates a status', async () => {
    server.use(
      http.get(`${base}/tenants/hospital-santa-maria/status`, () =>
        HttpResponse.json(status),
      ),
    );
    await expect(
      client.getTenantStatus('hospital-santa-maria'),
    ).resolves.toEqual(status);
  });

  it("throws the server's error", async () => {
    server.use(
      http.get(`${base}/tenants/hospital-sao-joao/isolation`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No tenant hospital-sao-joao',
            },
            request: {},
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client
      .getTenantIsolation('hospital-sao-joao')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe('No tenant hospital-sao-joao');
  });

  it('refuses a payload that does not match the contract', async () => {
    server.use(
      http.get(`${base}/tenants/hospital-santa-maria/status`, () =>
        HttpResponse.json({ ...status, stale: 'no' }),
      ),
    );
    await expect(
      client.getTenantStatus('hospital-santa-maria'),
    ).rejects.toThrow(/unexpected payload/);
  });

  it('never puts a malformed id in a URL', async () => {
    await expect(client.getTenantStatus('../secrets')).rejects.toThrow(
      /is not a tenant id/,
    );
  });

  it('pages the list with a cursor', async () => {
    server.use(
      http.get(`${base}/tenants`, ({ request }) => {
        const url = new URL(request.url);
        expect(url.searchParams.get('limit')).toBe('2');
        expect(url.searchParams.get('cursor')).toBe('abc');
        return HttpResponse.json({ items: [] });
      }),
    );
    await expect(
      client.listTenants({ limit: 2, cursor: 'abc' }),
    ).resolves.toEqual({ items: [] });
  });
});
