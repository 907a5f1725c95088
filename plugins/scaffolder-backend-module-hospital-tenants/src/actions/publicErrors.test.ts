import { InputError } from '@backstage/errors';
import { publicError, withPublicErrors } from './publicErrors';

describe('withPublicErrors', () => {
  it('hands on every error with its name and message, and no stack', async () => {
    const cause = new Error('inner');
    const action = withPublicErrors({
      id: 'x',
      async handler(_ctx: unknown) {
        throw new InputError('Invalid tenant spec:\n- slug: taken', cause);
      },
    });
    const error = await action.handler({}).then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.stack).toBe(`InputError: ${error.message}`);
    expect(error.stack).not.toMatch(/\n\s+at /);
    expect(error.cause.stack).toBe('Error: inner');
    expect(action.id).toBe('x');
  });

  it('leaves non-errors and successful runs alone', async () => {
    expect(publicError('text')).toBe('text');
    const action = withPublicErrors({ async handler(_ctx: unknown) {} });
    await expect(action.handler({})).resolves.toBeUndefined();
  });
});
