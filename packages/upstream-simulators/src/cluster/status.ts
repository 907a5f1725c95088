/*
 * metav1.Status bodies exactly as k8s.io/apimachinery renders them.
 */

/** A cause inside a Status' details. @public */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** The resource a Status talks about. */
export interface StatusTarget {
  group: string;
  kind: string;
  plural: string;
  name?: string;
}

/** An error that the server renders as a `Status` body. @public */
export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string;
      group?: string;
      kind?: string;
      causes?: StatusCause[];
    },
  ) {
    super(message);
  }

  toStatus() {
    const details = this.details
      ? Object.fromEntries(
          Object.entries(this.details).filter(([, v]) => v !== undefined),
        )
      : undefined;
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(details && Object.keys(details).length > 0 ? { details } : {}),
      code: this.code,
    };
  }
}

function qualified(t: StatusTarget) {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}

/** `<plural>.<group> "<name>" not found` */
export function notFound(t: StatusTarget, name: string) {
  return new ApiStatusError(
    404,
    'NotFound',
    `${qualified(t)} "${name}" not found`,
    { name, group: t.group || undefined, kind: t.plural },
  );
}

export function alreadyExists(t: StatusTarget, name: string) {
  return new ApiStatusError(
    409,
    'AlreadyExists',
    `${qualified(t)} "${name}" already exists`,
    { name, group: t.group || undefined, kind: t.plural },
  );
}

/** The RBAC denial message of kube-apiserver. */
export function forbidden(
  user: string,
  verb: string,
  t: StatusTarget,
  namespace: string | undefined,
  name: string | undefined,
  subresource?: string,
) {
  const resource = subresource ? `${t.plural}/${subresource}` : t.plural;
  const scope = namespace
    ? `in the namespace "${namespace}"`
    : 'at the cluster scope';
  const what = name ? `${qualified(t)} "${name}"` : qualified(t);
  return new ApiStatusError(
    403,
    'Forbidden',
    `${what} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${t.group}" ${scope}`,
    { name, group: t.group || undefined, kind: t.plural },
  );
}

/** A 422 `<Kind>.<group> "<name>" is invalid: ...` */
export function invalid(t: StatusTarget, name: string, causes: StatusCause[]) {
  const kindGroup = t.group ? `${t.kind}.${t.group}` : t.kind;
  const list = causes.map(c => `${c.field}: ${c.message}`);
  const text = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new ApiStatusError(
    422,
    'Invalid',
    `${kindGroup} "${name}" is invalid: ${text}`,
    { name, group: t.group || undefined, kind: t.kind, causes },
  );
}

export function badRequest(message: string) {
  return new ApiStatusError(400, 'BadRequest', message);
}

export function methodNotSupported(t: StatusTarget, verb: string) {
  return new ApiStatusError(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind "${qualified(t)}"`,
    { kind: t.plural, group: t.group || undefined },
  );
}

export function unauthorized() {
  return new ApiStatusError(401, 'Unauthorized', 'Unauthorized');
}
