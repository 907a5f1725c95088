import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';
import { createUpstreamPolicy } from './resilience';

describe('createUpstreamPolicy', () => {
  it('retries a transient failure once, never a definitive 404', async () => {
    const policy = createUpstreamPolicy({ name: 'Upstream', maxAttempts: 2 });
    const flaky = jest
      .fn()
      .mockRejectedValueOnce(new Error('socket hang up'))
      .mockResolvedValueOnce('ok');
    await expect(policy.execute(flaky)).resolves.toBe('ok');
    expect(flaky).toHaveBeenCalledTimes(2);
    const missing = jest.fn().mockRejectedValue(new NotFoundError('gone'));
    await expect(policy.execute(missing)).rejects.toThrow(NotFoundError);
    expect(missing).toHaveBeenCalledTimes(1);
  });

  it('times out a hanging call as ServiceUnavailableError', async () => {
    const policy = createUpstreamPolicy({
      name: 'Upstream',
      timeoutMs: 100,
      maxAttempts: 1,
    });
    const error = await policy
      .execute(() => new Promise<never>(() => {}))
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(/^Upstream did not answer in time/);
  });

  it('opens the breaker after consecutive failures, fails fast, then recovers', async () => {
    const policy = createUpstreamPolicy({
      name: 'Upstream',
      maxAttempts: 1,
      breakerThreshold: 3,
      halfOpenAfterMs: 200,
    });
    const failing = jest.fn().mockRejectedValue(new Error('503'));
    for (let i = 0; i < 3; i++) {
      await expect(policy.execute(failing)).rejects.toThrow(
        ServiceUnavailableError,
      );
    }
    expect(policy.breakerState).toBe('open');
    const healthy = jest.fn().mockResolvedValue('ok');
    await expect(policy.execute(healthy)).rejects.toThrow(/circuit open/);
    expect(healthy).not.toHaveBeenCalled();
    // wait for the half-open window, then one trial call closes it
    const result = await pollUntil(() => policy.execute(healthy), {
      timeoutMs: 5000,
      intervalMs: 50,
      retryOn: () => true,
      onTimeout: () => undefined,
    });
    expect(result).toBe('ok');
    expect(policy.breakerState).toBe('closed');
  });
});
