import type { ClusterObject } from './KubernetesClusterClient';

/**
 * The name of the per-tenant Role and RoleBinding that let the provisioner
 * read one Secret, `<slug>-admin-kubeconfig` (see deploy/README.md).
 *
 * @public
 */
export const PROVISIONER_KUBECONFIG_ACCESS =
  'hospital-tenants-provisioner-kubeconfig';

/**
 * The provisioner's ServiceAccount when the configuration names none
 * (`hospitalTenants.provisioning.provisionerServiceAccount`).
 *
 * @public
 */
export const DEFAULT_PROVISIONER_SERVICE_ACCOUNT: Readonly<{
  name: string;
  namespace: string;
}> = { name: 'hospital-tenants-provisioner', namespace: 'backstage' };

/**
 * The Role and RoleBinding (namespace `tenant-<slug>`) that grant the
 * provisioner `get` on the tenant's admin kubeconfig Secret and nothing
 * else. Apply them with the provisioner before reading the Secret; the
 * admission policies of deploy/rbac/kubeconfig-guard.yaml accept exactly
 * this shape.
 *
 * @public
 */
export function provisionerKubeconfigAccess(options: {
  slug: string;
  /** the provisioner's ServiceAccount (default `backstage/hospital-tenants-provisioner`) */
  serviceAccount?: { name: string; namespace: string };
  labels?: Record<string, string>;
}): ClusterObject[] {
  const namespace = `tenant-${options.slug}`;
  const sa = options.serviceAccount ?? DEFAULT_PROVISIONER_SERVICE_ACCOUNT;
  const metadata = {
    name: PROVISIONER_KUBECONFIG_ACCESS,
    namespace,
    ...(options.labels ? { labels: options.labels } : {}),
  };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata,
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['get'],
          resourceNames: [`${options.slug}-admin-kubeconfig`],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: PROVISIONER_KUBECONFIG_ACCESS,
      },
      subjects: [
        { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace },
      ],
    },
  ];
}

/**
 * The label a provisioning run puts on `tenant-<slug>` as its last step.
 * From then on the admission policies of deploy/rbac/provisioned-gate.yaml
 * refuse any Role or RoleBinding the provisioner writes there, and only the
 * break-glass group ({@link BREAK_GLASS_GROUP}) may remove the label.
 *
 * @public
 */
export const PROVISIONED_LABEL = 'hospital-tenants.io/provisioned';

/**
 * The group whose members alone may remove {@link PROVISIONED_LABEL}.
 *
 * @public
 */
export const BREAK_GLASS_GROUP = 'hospital-tenants:break-glass';

/**
 * The field manager that owns {@link PROVISIONED_LABEL} (apart from the
 * plan's, so re-applying the plan's Namespace never removes the label).
 *
 * @public
 */
export const PROVISIONED_LABEL_FIELD_MANAGER = 'hospital-tenants-gate';

/**
 * The server-side apply patch that labels a tenant namespace provisioned
 * (apply it with {@link PROVISIONED_LABEL_FIELD_MANAGER}).
 *
 * @public
 */
export function provisionedLabelPatch(slug: string): ClusterObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: `tenant-${slug}`,
      labels: { [PROVISIONED_LABEL]: 'true' },
    },
  };
}

/**
 * The reader's ServiceAccount on the management cluster (deploy/rbac/reader.yaml).
 *
 * @public
 */
export const DEFAULT_READER_SERVICE_ACCOUNT: Readonly<{
  name: string;
  namespace: string;
}> = { name: 'hospital-tenants-reader', namespace: 'backstage' };

/**
 * The ClusterRole of what the reader reads inside a tenant namespace, and
 * the name of the RoleBinding (in `tenant-<slug>`) that the plan renders to
 * bind it there; the reader holds it nowhere else (deploy/rbac/reader.yaml).
 *
 * @public
 */
export const TENANT_READER_ACCESS = 'hospital-tenants-tenant-reader';
