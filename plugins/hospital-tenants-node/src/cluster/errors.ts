import {
  AuthenticationError,
  CustomErrorBase,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * A `metav1.Status` as the Kubernetes API returns it on errors.
 *
 * @public
 */
export interface KubernetesStatus {
  kind?: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
  };
}

/** Parses the body of a failed response into a Status, when it is one. */
export function parseStatus(body: unknown): KubernetesStatus | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (
    value &&
    typeof value === 'object' &&
    (value as KubernetesStatus).kind === 'Status'
  ) {
    return value as KubernetesStatus;
  }
  return undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/**
 * Maps a failed Kubernetes API call to the `@backstage/errors` type that
 * describes it; `what` names the request (`apply TenantControlPlane
 * tenant-x/x`). The Status body is kept as the error's cause.
 */
export function toBackstageError(error: unknown, what: string): Error {
  const e = error as {
    code?: unknown;
    body?: unknown;
    name?: string;
    message?: string;
    type?: string;
    errno?: string;
  };
  if (error instanceof CustomErrorBase) return error;
  if (typeof e?.code === 'number') {
    const status = parseStatus(e.body);
    const message =
      status?.message ??
      (typeof e.body === 'string' && e.body ? e.body : `HTTP ${e.code}`);
    const cause = Object.assign(
      new Error(`HTTP ${e.code}${status?.reason ? ` ${status.reason}` : ''}`),
      { status },
    );
    switch (e.code) {
      case 400:
        return new InputError(`${what}: ${message}`, cause);
      case 401:
        return new AuthenticationError(
          `${what}: the cluster did not accept the credentials (${message})`,
          cause,
        );
      case 403:
        return new NotAllowedError(`${what}: ${message}`, cause);
      case 404:
        return new NotFoundError(`${what}: ${message}`, cause);
      case 409:
        return new ConflictError(`${what}: ${message}`, cause);
      case 422: {
        const causes = (status?.details?.causes ?? [])
          .map(c => `${c.field ?? '(object)'}: ${c.message ?? c.reason}`)
          .join('; ');
        return new InputError(
          `${what}: ${message}${
            causes && !message.includes(causes) ? ` (${causes})` : ''
          }`,
          cause,
        );
      }
      default:
        if (e.code >= 500 || e.code === 429) {
          return new ServiceUnavailableError(
            `${what}: the cluster answered ${e.code}: ${message}`,
            cause,
          );
        }
        return new InputError(
          `${what}: the cluster answered ${e.code}: ${message}`,
          cause,
        );
    }
  }
  if (
    e?.name === 'AbortError' ||
    e?.type === 'aborted' ||
    e?.name === 'TimeoutError'
  ) {
    return new ServiceUnavailableError(
      `${what}: the cluster did not answer in time`,
      error as Error,
    );
  }
  const errno = typeof e?.code === 'string' ? e.code : e?.errno;
  if (
    (errno && NETWORK_CODES.has(errno)) ||
    e?.name === 'FetchError' ||
    e?.type === 'system'
  ) {
    return new ServiceUnavailableError(
      `${what}: the cluster is unreachable (${e?.message})`,
      error as Error,
    );
  }
  // client-node puts request headers into some messages: never pass a token on
  const text = redact(e?.message ?? String(error));
  return new Error(`${what}: ${text}`);
}

/** Removes bearer tokens from a message. */
export function redact(message: string): string {
  return message.replace(/Bearer\s+[^\s"',]+/g, 'Bearer [redacted]');
}
