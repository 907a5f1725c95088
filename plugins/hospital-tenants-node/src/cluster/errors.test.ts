import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { redact, toBackstageError } from './errors';

const status = (code: number, message: string, causes?: object[]) => ({
  code,
  body: JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message,
    code,
    details: causes ? { causes } : undefined,
  }),
});

describe('toBackstageError', () => {
  it.each([
    [400, InputError],
    [401, AuthenticationError],
    [403, NotAllowedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, InputError],
    [429, ServiceUnavailableError],
    [500, ServiceUnavailableError],
    [503, ServiceUnavailableError],
  ])('maps HTTP %i to %p, keeping the Status message', (code, type) => {
    const error = toBackstageError(
      status(code, 'the message'),
      'get Namespace x',
    );
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain('get Namespace x');
    expect(error.message).toContain('the message');
    expect((error as any).cause.status.code).toBe(code);
  });

  it('lists the causes of a 422', () => {
    const error = toBackstageError(
      status(422, 'TenantControlPlane.kamaji.clastix.io "x" is invalid', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: 'spec.kubernetes.kubelet',
        },
      ]),
      'apply',
    );
    expect(error.message).toBe(
      'apply: TenantControlPlane.kamaji.clastix.io "x" is invalid (spec.kubernetes.kubelet: Required value); caused by Error: HTTP 422',
    );
  });

  it('maps timeouts and unreachable servers to ServiceUnavailableError', () => {
    expect(
      toBackstageError(
        Object.assign(new Error('aborted'), { name: 'AbortError' }),
        'get',
      ),
    ).toBeInstanceOf(ServiceUnavailableError);
    expect(
      toBackstageError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
          code: 'ECONNREFUSED',
        }),
        'get',
      ),
    ).toBeInstanceOf(ServiceUnavailableError);
  });

  it('never passes a bearer token on', () => {
    const error = toBackstageError(
      new TypeError('Bearer abc.def-123\n is not a legal HTTP header value'),
      'list Namespace',
    );
    expect(error.message).toBe(
      'list Namespace: Bearer [redacted]\n is not a legal HTTP header value',
    );
    expect(redact('{"Authorization":"Bearer xyz"}')).toBe(
      '{"Authorization":"Bearer [redacted]"}',
    );
  });
});
