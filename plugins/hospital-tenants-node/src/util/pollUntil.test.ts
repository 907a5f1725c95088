import { ServiceUnavailableError } from '@backstage/errors';
import { abortableDelay, pollUntil } from './pollUntil';

describe('pollUntil', () => {
  it('returns the first value that is not undefined', async () => {
    let tries = 0;
    const value = await pollUntil(
      async () => (++tries === 3 ? 'ready' : undefined),
      { timeoutMs: 10_000, intervalMs: 1 },
    );
    expect(value).toBe('ready');
    expect(tries).toBe(3);
  });

  it('rethrows an error of the check unless retryOn says "not yet"', async () => {
    await expect(
      pollUntil(
        async () => {
          throw new TypeError('bug');
        },
        { timeoutMs: 10_000, intervalMs: 1 },
      ),
    ).rejects.toThrow(TypeError);

    let tries = 0;
    const value = await pollUntil(
      async () => {
        if (++tries < 3) throw new ServiceUnavailableError('starting');
        return tries;
      },
      {
        timeoutMs: 10_000,
        intervalMs: 1,
        retryOn: e => e instanceof ServiceUnavailableError,
      },
    );
    expect(value).toBe(3);
  });

  it('calls onTimeout at the deadline with the last error', async () => {
    const seen: unknown[] = [];
    await expect(
      pollUntil(
        async () => {
          throw new ServiceUnavailableError('still starting');
        },
        {
          timeoutMs: 30,
          intervalMs: 5,
          retryOn: () => true,
          onTimeout: last => {
            seen.push(last);
            throw new Error('gave up');
          },
        },
      ),
    ).rejects.toThrow('gave up');
    expect(seen).toHaveLength(1);
    expect((seen[0] as Error).message).toBe('still starting');

    await expect(
      pollUntil(async () => undefined, { timeoutMs: 10, intervalMs: 5 }),
    ).rejects.toThrow('Condition not met within 10 ms');

    const settled = await pollUntil<string>(async () => undefined, {
      timeoutMs: 10,
      intervalMs: 5,
      onTimeout: () => 'last value',
    });
    expect(settled).toBe('last value');
  });

  it("stops as soon as the signal aborts, with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error('task cancelled');
    const polling = pollUntil(async () => undefined, {
      timeoutMs: 60_000,
      intervalMs: 60_000,
      signal: controller.signal,
    });
    controller.abort(reason);
    await expect(polling).rejects.toBe(reason);
  });
});

describe('abortableDelay', () => {
  it('waits, or rejects at once when aborted (an AbortError without a reason)', async () => {
    await expect(abortableDelay(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const waiting = abortableDelay(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
