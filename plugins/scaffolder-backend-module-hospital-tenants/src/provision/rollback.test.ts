import { InputError, NotFoundError, ResponseError } from '@backstage/errors';
import {
  InvalidTenantSpecError,
  tenantSpecIssue,
} from '@prontuario/plugin-hospital-tenants-node';
import { withCleanupFailure } from './rollback';

describe('withCleanupFailure', () => {
  const cleanup = new Error(
    'Cleanup left 1 object(s) behind:\n- Namespace tenant-x: timed out',
  );

  it('keeps an InputError an InputError, with both messages and the run error as cause', () => {
    const original = new InputError('Invalid tenant spec:\n- slug: taken');
    const error = withCleanupFailure(original, cleanup);
    expect(error).toBeInstanceOf(InputError);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'Invalid tenant spec:\n- slug: taken\nCleanup left 1 object(s) behind:\n- Namespace tenant-x: timed out',
    );
    expect(error.cause).toBe(original);
    // the run's own error is left as it was
    expect(original.message).toBe('Invalid tenant spec:\n- slug: taken');
  });

  it('keeps the issues of an invalid tenant spec', () => {
    const original = new InvalidTenantSpecError([
      tenantSpecIssue('slug', '"x" was just taken by another provisioning run'),
    ]);
    const error = withCleanupFailure(original, cleanup);
    expect(error).toBeInstanceOf(InvalidTenantSpecError);
    expect((error as InvalidTenantSpecError).issues).toEqual([
      {
        field: 'slug',
        message: 'slug: "x" was just taken by another provisioning run',
      },
    ]);
  });

  it('keeps other @backstage/errors types (a 404 stays a NotFoundError)', () => {
    const error = withCleanupFailure(new NotFoundError('gone'), cleanup);
    expect(NotFoundError.is(error)).toBe(true);
    expect(error).not.toBeInstanceOf(InputError);
    expect(ResponseError.is(error)).toBe(false);
  });

  it('wraps a thrown non-error in a plain Error', () => {
    const error = withCleanupFailure('boom', cleanup);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(`boom\n${cleanup.message}`);
  });
});
