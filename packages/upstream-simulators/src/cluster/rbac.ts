/*
 * The RBAC authorizer of kube-apiserver (plugin/pkg/auth/authorizer/rbac),
 * evaluated over the Role/ClusterRole/RoleBinding/ClusterRoleBinding
 * objects stored in a simulated cluster, plus its escalation checks.
 */
import type { KubeObject as Obj } from '../types';

/** An authenticated user. @public */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** What a request wants to do. @public */
export interface AuthzAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Where the authorizer reads RBAC objects from. @public */
export interface RbacSource {
  list(group: string, plural: string, namespace?: string): Obj[];
  get(
    group: string,
    plural: string,
    namespace: string | undefined,
    name: string,
  ): Obj | undefined;
}

const RBAC = 'rbac.authorization.k8s.io';

function subjectMatches(
  subject: Obj,
  user: UserInfo,
  bindingNamespace?: string,
) {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return (
        user.name ===
        `system:serviceaccount:${subject.namespace ?? bindingNamespace}:${
          subject.name
        }`
      );
    default:
      return false;
  }
}

function ruleAllows(rule: Obj, a: AuthzAttributes) {
  const has = (list: string[] | undefined, v: string) =>
    !!list && (list.includes('*') || list.includes(v));
  if (!has(rule.verbs, a.verb)) return false;
  if (!has(rule.apiGroups, a.group)) return false;
  const resource = a.subresource
    ? `${a.resource}/${a.subresource}`
    : a.resource;
  const resources: string[] = rule.resources ?? [];
  const resourceOk =
    resources.includes('*') ||
    resources.includes(resource) ||
    (a.subresource !== undefined && resources.includes(`*/${a.subresource}`));
  if (!resourceOk) return false;
  const names: string[] = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return a.name !== undefined && names.includes(a.name);
}

/** Evaluates RBAC for one cluster. @public */
export class RbacAuthorizer {
  constructor(private readonly source: RbacSource) {}

  private roleRules(ref: Obj, namespace: string | undefined): Obj[] {
    if (ref.kind === 'ClusterRole')
      return (
        this.source.get(RBAC, 'clusterroles', undefined, ref.name)?.rules ?? []
      );
    if (ref.kind === 'Role' && namespace)
      return this.source.get(RBAC, 'roles', namespace, ref.name)?.rules ?? [];
    return [];
  }

  /** The rules that apply to a user in a namespace (cluster-wide ones included). */
  rulesFor(user: UserInfo, namespace: string | undefined): Obj[] {
    const rules: Obj[] = [];
    for (const crb of this.source.list(RBAC, 'clusterrolebindings')) {
      if ((crb.subjects ?? []).some((s: Obj) => subjectMatches(s, user)))
        rules.push(...this.roleRules(crb.roleRef, undefined));
    }
    if (namespace) {
      for (const rb of this.source.list(RBAC, 'rolebindings', namespace)) {
        if (
          (rb.subjects ?? []).some((s: Obj) =>
            subjectMatches(s, user, namespace),
          )
        )
          rules.push(...this.roleRules(rb.roleRef, namespace));
      }
    }
    return rules;
  }

  authorize(user: UserInfo, a: AuthzAttributes): boolean {
    if (user.groups.includes('system:masters')) return true;
    return this.rulesFor(user, a.namespace).some(r => ruleAllows(r, a));
  }

  /** Whether `user` holds every permission `rules` grant (in `namespace`). */
  covers(user: UserInfo, rules: Obj[], namespace: string | undefined): boolean {
    if (user.groups.includes('system:masters')) return true;
    const held = this.rulesFor(user, namespace);
    return rules.every(rule =>
      (rule.apiGroups ?? ['']).every((group: string) =>
        (rule.resources ?? []).every((res: string) =>
          (rule.verbs ?? []).every((verb: string) => {
            const [resource, subresource] = res.split('/');
            const names: (string | undefined)[] = rule.resourceNames?.length
              ? rule.resourceNames
              : [undefined];
            return names.every(name =>
              held.some(h =>
                ruleAllows(h, {
                  verb,
                  group,
                  resource,
                  subresource,
                  namespace,
                  name,
                }),
              ),
            );
          }),
        ),
      ),
    );
  }

  /**
   * The RBAC escalation check: creating a role needs its permissions or the
   * `escalate` verb on it; a binding needs the role's permissions or `bind`.
   * Returns a denial message, or undefined when allowed.
   */
  checkEscalation(user: UserInfo, obj: Obj): string | undefined {
    const ns = obj.metadata?.namespace;
    const name = obj.metadata?.name;
    if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
      const plural = obj.kind === 'Role' ? 'roles' : 'clusterroles';
      if (
        this.authorize(user, {
          verb: 'escalate',
          group: RBAC,
          resource: plural,
          namespace: ns,
          name,
        })
      )
        return undefined;
      if (this.covers(user, obj.rules ?? [], ns)) return undefined;
      return `user "${user.name}" (groups=${JSON.stringify(
        user.groups,
      )}) is attempting to grant RBAC permissions not currently held`;
    }
    if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
      const ref = obj.roleRef ?? {};
      const plural = ref.kind === 'Role' ? 'roles' : 'clusterroles';
      const refNs =
        ref.kind === 'Role' || obj.kind === 'RoleBinding' ? ns : undefined;
      if (
        this.authorize(user, {
          verb: 'bind',
          group: RBAC,
          resource: plural,
          namespace: refNs,
          name: ref.name,
        })
      )
        return undefined;
      if (
        this.covers(
          user,
          this.roleRules(ref, ns),
          obj.kind === 'RoleBinding' ? ns : undefined,
        )
      )
        return undefined;
      return `user "${user.name}" (groups=${JSON.stringify(
        user.groups,
      )}) is attempting to grant RBAC permissions not currently held`;
    }
    return undefined;
  }
}
