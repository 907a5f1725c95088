import { isError } from '@backstage/errors';

/**
 * The error a failed run hands the scaffolder, which writes its `stack`
 * into the task log (and a dry run's answer): its name and message only,
 * never a stack with the server's file paths. The message stays the one
 * users need (each field named).
 */
export function publicError(error: unknown): unknown {
  if (!isError(error)) {
    return error;
  }
  for (let e: any = error; isError(e); e = e.cause) {
    try {
      Object.defineProperty(e, 'stack', {
        value: `${e.name}: ${e.message}`,
        writable: true,
        configurable: true,
      });
    } catch {
      // a frozen error keeps its stack; nothing else can be done
    }
  }
  return error;
}

/** Wraps an action's handler so that every error it throws is a {@link publicError}. */
export function withPublicErrors<
  A extends { handler: (ctx: any) => Promise<void> },
>(action: A): A {
  const handler = action.handler;
  return {
    ...action,
    async handler(ctx: Parameters<A['handler']>[0]) {
      try {
        await handler.call(action, ctx);
      } catch (error) {
        throw publicError(error);
      }
    },
  };
}
