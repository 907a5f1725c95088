/*
 * ValidatingAdmissionPolicies stored in a simulated cluster, enforced like
 * kube-apiserver does: the policies' own CEL (`variables`,
 * `matchConditions`, `validations` with `message`/`messageExpression`)
 * evaluated by the CEL library of ./cel over `object`, `oldObject`,
 * `request` (with `userInfo`), `namespaceObject` and `params`, on CREATE,
 * UPDATE and DELETE (where `object` is null). A policy whose expressions do
 * not compile is refused at creation. `paramKind` is not simulated:
 * `params` is null.
 */
import { ApiStatusError } from './status';
import type { AdmissionHook } from './cluster';
import type { ResourceType } from './resources';
import type { UserInfo } from './rbac';
import { CelProgram, celErrorMessage, compilePolicyExpression } from './cel';

type Obj = Record<string, any>;

const STATUS_CODE: Record<string, number> = {
  Forbidden: 403,
  Invalid: 422,
  Unauthorized: 401,
  RequestEntityTooLarge: 413,
};

const compiled = new Map<string, CelProgram>();

function program(expression: string): CelProgram {
  let p = compiled.get(expression);
  if (!p) {
    p = compilePolicyExpression(expression);
    compiled.set(expression, p);
  }
  return p;
}

/** Every expression of a policy with its field path, for the creation check. */
function expressionsOf(policy: Obj): Array<[string, string]> {
  const spec = policy.spec ?? {};
  const at = (list: Obj[] | undefined, name: string, keys: string[]) =>
    (list ?? []).flatMap((item, i) =>
      keys
        .filter(k => typeof item?.[k] === 'string')
        .map(k => [`spec.${name}[${i}].${k}`, item[k]] as [string, string]),
    );
  return [
    ...at(spec.variables, 'variables', ['expression']),
    ...at(spec.matchConditions, 'matchConditions', ['expression']),
    ...at(spec.validations, 'validations', ['expression', 'messageExpression']),
  ];
}

/** The `request` variable: what the simulator knows of an admission request. */
function requestOf(
  op: string,
  rt: ResourceType,
  obj: Obj,
  user: UserInfo | undefined,
): Record<string, unknown> {
  return {
    // a write without a user is the simulator's own (a controller's)
    userInfo: {
      username: user?.name ?? 'system:kube-controller-manager',
      groups: user?.groups ?? ['system:authenticated'],
    },
    kind: { group: rt.group, version: rt.version, kind: rt.kind },
    resource: { group: rt.group, version: rt.version, resource: rt.plural },
    name: obj.metadata?.name ?? '',
    namespace: obj.metadata?.namespace ?? '',
    operation: op,
    dryRun: false,
  };
}

/** The admission hook that evaluates stored policies and refuses ones that do not compile. */
export function validatingAdmissionPolicies(source: {
  list(group: string, plural: string): Obj[];
  /** the Namespace object of a namespaced request (`namespaceObject`) */
  namespace(name: string): Obj | undefined;
}): AdmissionHook {
  const matches = (policy: Obj, op: string, rt: ResourceType) =>
    (policy.spec?.matchConstraints?.resourceRules ?? []).some((r: Obj) => {
      const has = (list: string[] | undefined, v: string) =>
        !!list && (list.includes('*') || list.includes(v));
      return (
        has(r.apiGroups, rt.group) &&
        has(r.apiVersions, rt.version) &&
        has(r.operations, op) &&
        has(r.resources, rt.plural)
      );
    });

  const refuseUncompilable = (policy: Obj) => {
    for (const [field, expression] of expressionsOf(policy)) {
      try {
        program(expression);
      } catch (error) {
        throw new ApiStatusError(
          422,
          'Invalid',
          `ValidatingAdmissionPolicy.admissionregistration.k8s.io "${
            policy.metadata.name
          }" is invalid: ${field}: Invalid value: ${JSON.stringify(
            expression,
          )}: compilation failed: ${celErrorMessage(error)}`,
        );
      }
    }
  };

  const run = (
    op: 'CREATE' | 'UPDATE' | 'DELETE',
    rt: ResourceType,
    obj: Obj | null,
    old: Obj | undefined,
    user: UserInfo | undefined,
  ) => {
    const subject = (obj ?? old)!;
    const ns = subject.metadata?.namespace;
    const policies = new Map(
      source
        .list('admissionregistration.k8s.io', 'validatingadmissionpolicies')
        .map(p => [p.metadata.name, p]),
    );
    for (const binding of source.list(
      'admissionregistration.k8s.io',
      'validatingadmissionpolicybindings',
    )) {
      if (!(binding.spec?.validationActions ?? []).includes('Deny')) continue;
      const policy = policies.get(binding.spec?.policyName);
      if (!policy || !matches(policy, op, rt)) continue;
      const what = `${rt.group ? `${rt.plural}.${rt.group}` : rt.plural} "${
        subject.metadata.name
      }"`;
      const deny = (reason: string, message: string): never => {
        throw new ApiStatusError(
          STATUS_CODE[reason] ?? 422,
          reason,
          `${what} is forbidden: ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}' denied request: ${message}`,
          {
            name: subject.metadata.name,
            group: rt.group || undefined,
            kind: rt.plural,
          },
        );
      };
      // failurePolicy Fail (the default): an expression that errors denies
      const failClosed = policy.spec.failurePolicy !== 'Ignore';
      const vars: Record<string, unknown> = {
        object: obj,
        oldObject: old ?? null,
        request: requestOf(op, rt, subject, user),
        params: null,
        namespaceObject: (ns && source.namespace(ns)) ?? null,
      };
      const evaluate = (expression: string): unknown => {
        try {
          return program(expression).evaluate(vars);
        } catch (error) {
          if (!failClosed) return undefined;
          return deny(
            'Invalid',
            `expression '${expression}' resulted in error: ${celErrorMessage(
              error,
            )}`,
          );
        }
      };
      // matchConditions first (they cannot see variables), then the
      // variables: a request the policy does not match never evaluates them
      const applies = (policy.spec.matchConditions ?? []).every(
        (c: Obj) => evaluate(c.expression) === true,
      );
      if (!applies) continue;
      const variables: Record<string, unknown> = {};
      vars.variables = variables;
      for (const v of policy.spec.variables ?? [])
        variables[v.name] = evaluate(v.expression);
      for (const v of policy.spec.validations ?? []) {
        const result = evaluate(v.expression);
        if (result === true || result === undefined) continue;
        let message = v.message ?? `failed expression: ${v.expression}`;
        if (v.messageExpression) {
          try {
            const text = program(v.messageExpression).evaluate(vars);
            if (typeof text === 'string' && text.trim()) message = text;
          } catch {
            // the API server falls back to the message, as here
          }
        }
        deny(v.reason ?? 'Invalid', message);
      }
    }
  };

  return {
    validate(op, rt, obj, old, user) {
      if (rt.kind === 'ValidatingAdmissionPolicy') {
        refuseUncompilable(obj);
        return;
      }
      run(op, rt, obj, old, user);
    },
    validateDelete(rt, old, user) {
      run('DELETE', rt, null, old, user);
    },
  };
}
