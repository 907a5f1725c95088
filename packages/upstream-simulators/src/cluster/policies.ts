/*
 * ValidatingAdmissionPolicies stored in a simulated cluster, enforced like
 * kube-apiserver does. CEL expressions are implemented one by one, keyed by
 * their exact text; a policy with an expression missing here is refused at
 * creation, so the simulator never silently skips a rule of deploy/.
 */
import { ApiStatusError } from './status';
import type { AdmissionHook } from './cluster';
import type { ResourceType } from './resources';

type Obj = Record<string, any>;
type Expr = (object: Obj, oldObject: Obj | undefined) => boolean;

const sameList = (a: unknown, b: unknown[]) =>
  Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);

export const POLICY_EXPRESSIONS: Record<string, Expr> = {
  "object.metadata.name == 'hospital-tenants-provisioner-kubeconfig'": o =>
    o.metadata?.name === 'hospital-tenants-provisioner-kubeconfig',
  "object.metadata.namespace.startsWith('tenant-') && size(object.rules) == 1 && object.rules[0].apiGroups == [''] && object.rules[0].resources == ['secrets'] && object.rules[0].verbs == ['get'] && has(object.rules[0].resourceNames) && object.rules[0].resourceNames == [object.metadata.namespace.substring(7) + '-admin-kubeconfig']":
    o => {
      const ns: string = o.metadata?.namespace ?? '';
      const rules: Obj[] = o.rules ?? [];
      return (
        ns.startsWith('tenant-') &&
        rules.length === 1 &&
        sameList(rules[0].apiGroups, ['']) &&
        sameList(rules[0].resources, ['secrets']) &&
        sameList(rules[0].verbs, ['get']) &&
        rules[0].resourceNames !== undefined &&
        sameList(rules[0].resourceNames, [
          `${ns.substring(7)}-admin-kubeconfig`,
        ])
      );
    },
  "object.metadata.name == 'hospital-tenants-provisioner-kubeconfig' || object.roleRef.name == 'hospital-tenants-provisioner-kubeconfig'":
    o =>
      o.metadata?.name === 'hospital-tenants-provisioner-kubeconfig' ||
      o.roleRef?.name === 'hospital-tenants-provisioner-kubeconfig',
  "object.metadata.name == 'hospital-tenants-provisioner-kubeconfig' && object.roleRef.kind == 'Role' && object.roleRef.name == 'hospital-tenants-provisioner-kubeconfig' && size(object.subjects) == 1 && object.subjects[0].kind == 'ServiceAccount' && object.subjects[0].name == 'hospital-tenants-provisioner' && object.subjects[0].namespace == 'backstage'":
    o =>
      o.metadata?.name === 'hospital-tenants-provisioner-kubeconfig' &&
      o.roleRef?.kind === 'Role' &&
      o.roleRef?.name === 'hospital-tenants-provisioner-kubeconfig' &&
      (o.subjects ?? []).length === 1 &&
      o.subjects[0].kind === 'ServiceAccount' &&
      o.subjects[0].name === 'hospital-tenants-provisioner' &&
      o.subjects[0].namespace === 'backstage',
};

const STATUS_CODE: Record<string, number> = {
  Forbidden: 403,
  Invalid: 422,
  Unauthorized: 401,
  RequestEntityTooLarge: 413,
};

function expressionsOf(policy: Obj): string[] {
  return [
    ...(policy.spec?.matchConditions ?? []).map((c: Obj) => c.expression),
    ...(policy.spec?.validations ?? []).map((v: Obj) => v.expression),
  ];
}

/** The admission hook that evaluates stored policies and refuses unknown expressions. */
export function validatingAdmissionPolicies(source: {
  list(group: string, plural: string): Obj[];
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
  return {
    validate(op, rt, obj, old) {
      if (rt.kind === 'ValidatingAdmissionPolicy') {
        const unknown = expressionsOf(obj).filter(
          e => !(e in POLICY_EXPRESSIONS),
        );
        if (unknown.length) {
          throw new ApiStatusError(
            422,
            'Invalid',
            `ValidatingAdmissionPolicy.admissionregistration.k8s.io "${
              obj.metadata.name
            }" is invalid: the simulator has no implementation of the CEL expression ${JSON.stringify(
              unknown[0],
            )}`,
          );
        }
        return;
      }
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
        const applies = (policy.spec.matchConditions ?? []).every((c: Obj) =>
          POLICY_EXPRESSIONS[c.expression](obj, old),
        );
        if (!applies) continue;
        for (const v of policy.spec.validations ?? []) {
          if (POLICY_EXPRESSIONS[v.expression](obj, old)) continue;
          const reason = v.reason ?? 'Invalid';
          const what = `${rt.group ? `${rt.plural}.${rt.group}` : rt.plural} "${
            obj.metadata.name
          }"`;
          throw new ApiStatusError(
            STATUS_CODE[reason] ?? 422,
            reason,
            `${what} is forbidden: ValidatingAdmissionPolicy '${
              policy.metadata.name
            }' with binding '${binding.metadata.name}' denied request: ${
              v.message ?? `failed expression: ${v.expression}`
            }`,
            {
              name: obj.metadata.name,
              group: rt.group || undefined,
              kind: rt.plural,
            },
          );
        }
      }
    },
  };
}
