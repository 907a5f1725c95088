/*
 * Who an RBAC subject is, for the isolation checks: one of the platform's own
 * identities, or someone else (whose name the evidence only gives when it
 * cannot belong to another hospital).
 */

type Subject = { kind?: string; name?: string; namespace?: string };
type RoleRef = { kind?: string; name?: string } | undefined;

/** Kubernetes' subjects that stand for everyone, or for every ServiceAccount. */
const EVERYONE = new Set([
  'system:authenticated',
  'system:unauthenticated',
  'system:anonymous',
  'system:serviceaccounts',
]);

/**
 * Kubernetes' default ClusterRoles that every cluster binds to everyone:
 * discovery and self-review only, nothing inside a namespace.
 */
const DISCOVERY_ROLES = new Set([
  'system:basic-user',
  'system:discovery',
  'system:public-info-viewer',
  'system:service-account-issuer-discovery',
]);

/** Kubernetes' default user-facing ClusterRoles (their names say nothing of a hospital). */
const DEFAULT_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/** The platform's identities of one cluster. */
export interface PlatformIdentities {
  /** name prefixes of Kubernetes' (and the control plane's) own users and groups */
  prefixes: string[];
  /** namespaces whose ServiceAccounts are the platform's */
  serviceAccountNamespaces: string[];
  /** other users of the platform (the portal's checker in a tenant cluster) */
  users: string[];
}

const SA_USER = /^system:serviceaccount:([^:]+):/;
const SA_GROUP = /^system:serviceaccounts:(.+)$/;

/** The namespace a subject's ServiceAccount(s) live in, whatever its form. */
function serviceAccountNamespace(
  subject: Subject,
  bindingNamespace?: string,
): string | undefined {
  const name = String(subject.name ?? '');
  if (subject.kind === 'ServiceAccount') {
    return subject.namespace ?? bindingNamespace ?? '';
  }
  if (subject.kind === 'User') return SA_USER.exec(name)?.[1];
  if (subject.kind === 'Group') return SA_GROUP.exec(name)?.[1];
  return undefined;
}

/** Whether the subject stands for everyone (or every ServiceAccount). */
export function isEveryone(subject: Subject): boolean {
  return EVERYONE.has(String(subject.name ?? ''));
}

/**
 * Whether a binding's subject is one of the platform's own identities. A
 * subject standing for everyone is the platform's only on Kubernetes'
 * discovery ClusterRoles, which grant nothing inside a namespace.
 */
export function isPlatformSubject(
  subject: Subject,
  roleRef: RoleRef,
  platform: PlatformIdentities,
  bindingNamespace?: string,
): boolean {
  const name = String(subject.name ?? '');
  if (isEveryone(subject)) {
    return (
      roleRef?.kind === 'ClusterRole' && DISCOVERY_ROLES.has(roleRef.name ?? '')
    );
  }
  const saNamespace = serviceAccountNamespace(subject, bindingNamespace);
  if (saNamespace !== undefined) {
    return platform.serviceAccountNamespaces.includes(saNamespace);
  }
  if (subject.kind !== 'User' && subject.kind !== 'Group') return false;
  return (
    platform.users.includes(name) ||
    platform.prefixes.some(prefix => name.startsWith(prefix))
  );
}

/**
 * The subject in words. Kubernetes' own subjects are named, and so are
 * ServiceAccounts when the cluster's namespaces are the hospital's own (a
 * tenant cluster); other users and groups are not, nor namespaces of the
 * management cluster, since they may name another hospital or its staff.
 */
export function describeSubject(
  subject: Subject,
  options: { bindingNamespace?: string; nameNamespaces: boolean },
): string {
  const name = String(subject.name ?? '');
  const saNamespace = serviceAccountNamespace(
    subject,
    options.bindingNamespace,
  );
  if (saNamespace !== undefined && !options.nameNamespaces) {
    return subject.kind === 'Group'
      ? 'the ServiceAccounts of another namespace'
      : 'a ServiceAccount of another namespace';
  }
  if (subject.kind === 'ServiceAccount') {
    return `the ServiceAccount ${saNamespace}/${name}`;
  }
  if (name.startsWith('system:')) return `the ${subject.kind} ${name}`;
  if (subject.kind === 'Group') return 'a Group';
  if (subject.kind === 'User') return 'a User';
  return `a subject of kind ${String(subject.kind)}`;
}

/** The role a binding refers to, named only when its name cannot identify anyone. */
export function describeRole(roleRef: RoleRef): string {
  const name = roleRef?.name ?? '';
  if (DEFAULT_ROLES.has(name) || name.startsWith('system:')) {
    return `${roleRef?.kind} ${name}`;
  }
  return `a custom ${roleRef?.kind ?? 'role'}`;
}
