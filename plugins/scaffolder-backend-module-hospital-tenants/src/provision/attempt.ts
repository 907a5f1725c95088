import { InputError } from '@backstage/errors';
import { ProvisionContext } from './context';

/** Thrown inside the attempt probe; never escapes. */
class OpenAttempt extends Error {}

/**
 * Step: the attempt this run belongs to, as the prefix of its checkpoint
 * keys (`tenant.<slug>.attempt.<n>`). A failed attempt is closed (after its
 * cleanup, {@link closeAttempt}); a task retried later then starts a new
 * attempt with fresh checkpoints instead of replaying the old one's. A task
 * resumed after a crash finds its attempt still open and replays it. A dry
 * run has no task state: always attempt 0.
 */
export async function openAttempt(
  ctx: ProvisionContext,
  slug: string,
): Promise<string> {
  if (ctx.isDryRun) return `tenant.${slug}.attempt.0`;
  for (let n = 0; n < 100; n++) {
    try {
      await ctx.checkpoint({
        key: `tenant.${slug}.attempt.${n}.closed`,
        fn: () => {
          throw new OpenAttempt(`attempt ${n} is open`);
        },
      });
    } catch (error) {
      if (error instanceof OpenAttempt) return `tenant.${slug}.attempt.${n}`;
      throw error;
    }
  }
  throw new InputError('This task has been retried 100 times; start a new one');
}

/** Closes a failed attempt: a retry of the task starts a new one. */
export async function closeAttempt(
  ctx: ProvisionContext,
  attemptKey: string,
): Promise<void> {
  await ctx
    .checkpoint({ key: `${attemptKey}.closed`, fn: () => true })
    .catch(() => undefined);
}
