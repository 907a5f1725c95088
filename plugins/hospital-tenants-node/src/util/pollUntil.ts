import { setTimeout as delay } from 'node:timers/promises';

/**
 * How {@link pollUntil} polls.
 *
 * @public
 */
export interface PollOptions<T> {
  /** How long to keep trying, in milliseconds. */
  timeoutMs: number;
  /** The pause between two tries, in milliseconds (never past the deadline). */
  intervalMs: number;
  /** Ends the polling at once: the pause and the next try reject with its reason. */
  signal?: AbortSignal;
  /**
   * Errors of `check` that mean "not yet": polling goes on. By default every
   * error ends the polling and is rethrown.
   */
  retryOn?: (error: unknown) => boolean;
  /**
   * What happens at the deadline: throw an error that says what did not
   * happen (the default is a plain `Error` naming the last error), or settle
   * for a value. `lastError` is what the last try threw, if it threw.
   */
  onTimeout?: (lastError: unknown) => T;
}

/**
 * The reason an aborted signal gives, as an `Error`: the reason itself when
 * it is one (a cancelled scaffolder task aborts with its own error), else an
 * `AbortError`.
 *
 * @public
 */
export function abortReason(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  return Object.assign(new Error('The operation was aborted'), {
    name: 'AbortError',
  });
}

/**
 * Waits `ms`, or rejects as soon as `signal` aborts (with
 * {@link abortReason}). `node:timers/promises`' own timer, without the
 * wrapper error it puts around the signal's reason.
 *
 * @public
 */
export async function abortableDelay(
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  }
}

/**
 * Calls `check` until it returns a value other than `undefined` and returns
 * that value; between tries it waits `intervalMs`. At the deadline it calls
 * `onTimeout`. The one polling loop of the portal: waits for a control plane
 * to become Ready, for an entity to reach the catalog, for a namespace to go,
 * and the tests' "eventually" checks.
 *
 * @public
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: PollOptions<T>,
): Promise<T> {
  const { signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown = undefined;
  for (;;) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      const value = await check();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      if (!options.retryOn?.(error)) throw error;
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      if (options.onTimeout) return options.onTimeout(lastError);
      throw new Error(
        `Condition not met within ${options.timeoutMs} ms${
          lastError ? ` (last error: ${String(lastError)})` : ''
        }`,
        { cause: lastError },
      );
    }
    await abortableDelay(Math.min(options.intervalMs, left), signal);
  }
}
