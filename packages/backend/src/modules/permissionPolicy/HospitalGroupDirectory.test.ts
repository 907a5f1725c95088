import { mockServices } from '@backstage/backend-test-utils';
import { HospitalGroupDirectory } from './HospitalGroupDirectory';

function setup(answers: Array<() => Promise<any>>) {
  let now = 0;
  const requests: any[] = [];
  const catalog = {
    async getEntities(request: any) {
      requests.push(request);
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next();
    },
  };
  const directory = new HospitalGroupDirectory({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    now: () => now,
  });
  return {
    directory,
    requests,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const groups =
  (...names: string[]) =>
  async () => ({
    items: names.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name, namespace: 'default' },
    })),
  });

describe('HospitalGroupDirectory', () => {
  it('reads the hospital groups once a minute, coalescing concurrent callers', async () => {
    const { directory, requests, advance } = setup([
      groups('Hospital-Santa-Maria', 'hospital-sao-joao'),
      groups('hospital-santa-maria'),
    ]);
    const [a, b] = await Promise.all([directory.list(), directory.list()]);
    expect(a).toEqual([
      'group:default/hospital-santa-maria',
      'group:default/hospital-sao-joao',
    ]);
    expect(b).toBe(a);
    expect(requests).toEqual([
      {
        filter: { kind: 'group', 'spec.type': 'hospital' },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
    ]);
    advance(59_000);
    await directory.list();
    expect(requests).toHaveLength(1);
    advance(2_000);
    expect(await directory.list()).toEqual([
      'group:default/hospital-santa-maria',
    ]);
    expect(requests).toHaveLength(2);
  });

  it('keeps the last list while the catalog fails, and knows nothing before one was read', async () => {
    const failing = async () => {
      throw new Error('catalog down');
    };
    const { directory, advance } = setup([
      failing,
      groups('hospital-sao-joao'),
      failing,
    ]);
    expect(await directory.list()).toBeUndefined();
    expect(await directory.list()).toEqual(['group:default/hospital-sao-joao']);
    advance(61_000);
    expect(await directory.list()).toEqual(['group:default/hospital-sao-joao']);
  });
});
