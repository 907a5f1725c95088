/**
 * The portal's read-only identity inside each tenant cluster: a
 * ServiceAccount of the management cluster whose short-lived TokenRequest
 * tokens, bound to one tenant's audience, that tenant's API server trusts
 * (deploy/README.md, "The read-only identity in each tenant cluster").
 */

/**
 * The ServiceAccount (management cluster) whose tokens the portal presents
 * to tenant API servers. Only the reader may request its tokens.
 *
 * @public
 */
export const TENANT_CHECKER_SERVICE_ACCOUNT: Readonly<{
  name: string;
  namespace: string;
}> = { name: 'hospital-tenants-tenant-checker', namespace: 'backstage' };

/**
 * The prefix a tenant API server gives the management cluster's
 * ServiceAccount usernames (its structured authentication configuration's
 * `claimMappings.username.prefix`).
 *
 * @public
 */
export const MANAGEMENT_USERNAME_PREFIX = 'management:';

/**
 * The audience a tenant's API server accepts, and the only one a token for
 * that tenant is requested for: a token for one tenant is refused by every
 * other tenant's API server.
 *
 * @public
 */
export function tenantAudience(slug: string): string {
  return `hospital-tenants:${slug}`;
}

/**
 * The username the tenant API server sees for the checker's tokens.
 *
 * @public
 */
export const TENANT_CHECKER_USERNAME = `${MANAGEMENT_USERNAME_PREFIX}system:serviceaccount:${TENANT_CHECKER_SERVICE_ACCOUNT.namespace}:${TENANT_CHECKER_SERVICE_ACCOUNT.name}`;

/**
 * The read-only ClusterRole (and ClusterRoleBinding) of the tenant layer:
 * what the isolation report reads, nothing else (no Secrets, no pods, no
 * ConfigMaps, no writes).
 *
 * @public
 */
export const TENANT_ISOLATION_READER = 'hospital-tenants-isolation-reader';

/**
 * The rules of {@link TENANT_ISOLATION_READER}.
 *
 * @public
 */
export const TENANT_ISOLATION_READER_RULES: ReadonlyArray<{
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}> = [
  {
    apiGroups: [''],
    resources: ['namespaces', 'resourcequotas', 'limitranges'],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['networkpolicies'],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
    verbs: ['get', 'list', 'watch'],
  },
  // the CNI's presence: its DaemonSet (cilium, calico-node) and its CRDs
  {
    apiGroups: ['apps'],
    resources: ['daemonsets'],
    verbs: ['get', 'list'],
  },
  {
    apiGroups: ['apiextensions.k8s.io'],
    resources: ['customresourcedefinitions'],
    verbs: ['get', 'list'],
  },
];

/**
 * The Namespace annotation (management cluster, `tenant-<slug>`) holding the
 * tenant API server's CA certificate (PEM, base64): public data, published
 * by the provisioning run so that the portal can verify the tenant API
 * server without reading any Secret.
 *
 * @public
 */
export const API_SERVER_CA_ANNOTATION = 'hospital-tenants.io/api-server-ca';

/**
 * The field manager that owns {@link API_SERVER_CA_ANNOTATION}.
 *
 * @public
 */
export const API_SERVER_CA_FIELD_MANAGER = 'hospital-tenants-api-server-ca';
