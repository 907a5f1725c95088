import { createMemoryAdapter } from './memoryAdapter';

describe('the identity provider storage', () => {
  afterEach(() => jest.useRealTimers());

  it('finds, consumes and forgets entries, by id, uid and grant', async () => {
    const Adapter = createMemoryAdapter();
    const sessions = new Adapter('Session');
    const codes = new Adapter('AuthorizationCode');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'rita.rhp' }, 60);
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await codes.upsert('c2', { grantId: 'g1' }, 60);

    expect(await sessions.find('s1')).toMatchObject({ accountId: 'rita.rhp' });
    expect(await sessions.findByUid('u1')).toMatchObject({
      accountId: 'rita.rhp',
    });
    // models do not share ids
    expect(await codes.find('s1')).toBeUndefined();

    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toEqual(expect.any(Number));

    await codes.revokeByGrantId('g1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await codes.find('c2')).toBeUndefined();

    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('drops an entry when it expires', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const Adapter = createMemoryAdapter();
    const tokens = new Adapter('AccessToken');
    await tokens.upsert('t1', { accountId: 'joao.saojoao' }, 10);
    jest.setSystemTime(1_000_000 + 9_000);
    expect(await tokens.find('t1')).toBeDefined();
    jest.setSystemTime(1_000_000 + 10_000);
    expect(await tokens.find('t1')).toBeUndefined();
  });

  it('keeps at most its bound, evicting the oldest', async () => {
    const Adapter = createMemoryAdapter(3);
    const grants = new Adapter('Grant');
    for (const id of ['a', 'b', 'c', 'd']) {
      await grants.upsert(id, { accountId: id }, 60);
    }
    expect(await grants.find('a')).toBeUndefined();
    expect(await grants.find('d')).toBeDefined();
  });
});
