import {
  AuthenticationError,
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  isBrokenCircuitError,
  isTaskCancelledError,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';

/**
 * How one upstream is called: per-attempt timeout, retries with backoff for
 * reads, and a circuit breaker shared by every call to that upstream.
 *
 * @public
 */
export interface UpstreamPolicyOptions {
  /** what the upstream is, for error messages ("the management cluster") */
  name: string;
  /** per attempt (default 1500 ms) */
  timeoutMs?: number;
  /** attempts in all, the first included (default 2) */
  maxAttempts?: number;
  /** consecutive failures that open the breaker (default 5) */
  breakerThreshold?: number;
  /** how long the breaker stays open before one trial call (default 30 s) */
  halfOpenAfterMs?: number;
}

/**
 * Runs calls to one upstream under its resilience policy.
 *
 * @public
 */
export interface UpstreamPolicy {
  /** Runs a read; the signal aborts when the attempt times out. */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** `closed`, `open`, `halfopen` or `isolated`. */
  readonly breakerState: string;
}

/** Answers of the upstream that say something about the request, not the upstream's health. */
function isDefinitive(error: unknown): boolean {
  return (
    NotFoundError.is(error) ||
    InputError.is(error) ||
    NotAllowedError.is(error) ||
    AuthenticationError.is(error) ||
    ConflictError.is(error)
  );
}

/**
 * Builds the policy of one upstream with cockatiel: retry (reads only, never
 * a definitive 4xx) around a consecutive-failure breaker around an
 * aggressive per-attempt timeout. Timeouts, an open breaker and every other
 * failure come out as `ServiceUnavailableError` (503), keeping the cause.
 *
 * @public
 */
export function createUpstreamPolicy(
  options: UpstreamPolicyOptions,
): UpstreamPolicy {
  const transient = handleWhen(error => !isDefinitive(error));
  const breaker = circuitBreaker(transient, {
    halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
    breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
  });
  const policy = wrap(
    retry(transient, {
      maxAttempts: Math.max(0, (options.maxAttempts ?? 2) - 1),
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }),
    }),
    breaker,
    timeout(options.timeoutMs ?? 1500, TimeoutStrategy.Aggressive),
  );
  return {
    get breakerState() {
      return CircuitState[breaker.state].toLowerCase();
    },
    async execute<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      try {
        return await policy.execute(({ signal }) => fn(signal));
      } catch (error) {
        if (isDefinitive(error) || ServiceUnavailableError.is(error)) {
          throw error;
        }
        if (isBrokenCircuitError(error)) {
          throw new ServiceUnavailableError(
            `${options.name} is failing; calls are paused for a while (circuit open)`,
            error,
          );
        }
        if (isTaskCancelledError(error)) {
          throw new ServiceUnavailableError(
            `${options.name} did not answer in time`,
            error,
          );
        }
        throw new ServiceUnavailableError(
          `${options.name} failed: ${
            isError(error) ? error.message : String(error)
          }`,
          isError(error) ? error : undefined,
        );
      }
    },
  };
}
