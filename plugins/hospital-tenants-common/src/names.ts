import { MANAGEMENT_NAMESPACE_PREFIX, MAX_SLUG_LENGTH } from './constants';

/** DNS-1035 label: what Kamaji needs for the Service it names after a TCP. @public */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** DNS-1123 label: namespaces and most object names. @public */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A full group entity ref such as `group:default/hospital-sao-joao`: a tenant's
 * owner, in the spec and in the `hospital-tenants.io/owner` annotation.
 *
 * @public
 */
export const GROUP_ENTITY_REF_PATTERN =
  /^group:[a-z0-9]([-a-z0-9_.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Namespaces a department may never be named after in the tenant cluster.
 *
 * @public
 */
export const RESERVED_NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/**
 * Every name derived from a tenant slug, with the Kubernetes limit it must
 * fit. Kamaji derives more names from the TCP name (`<slug>-ca`,
 * `<slug>-konnectivity-egress-selector-configuration`, ...); those are
 * listed too so the limit is checked, not assumed.
 *
 * @public
 */
export function derivedTenantNames(
  slug: string,
): Array<{ what: string; name: string; maxLength: number }> {
  return [
    {
      what: 'management namespace (DNS-1123 label)',
      name: `${MANAGEMENT_NAMESPACE_PREFIX}${slug}`,
      maxLength: 63,
    },
    {
      what: 'TenantControlPlane and its Service (DNS-1035 label)',
      name: slug,
      maxLength: 63,
    },
    {
      what: 'label value kamaji.clastix.io/name and hospital-tenants.io/tenant',
      name: slug,
      maxLength: 63,
    },
    {
      what: 'admin kubeconfig Secret (DNS-1123 subdomain)',
      name: adminKubeconfigSecretName(slug),
      maxLength: 253,
    },
    {
      what: 'Kamaji konnectivity ConfigMap (DNS-1123 subdomain)',
      name: `${slug}-konnectivity-egress-selector-configuration`,
      maxLength: 253,
    },
    {
      what: 'Kamaji kubelet client certificate Secret (DNS-1123 subdomain)',
      name: `${slug}-api-server-kubelet-client-certificate`,
      maxLength: 253,
    },
  ];
}

/**
 * The tenant's namespace on the management cluster.
 *
 * @public
 */
export function managementNamespaceName(slug: string): string {
  return `${MANAGEMENT_NAMESPACE_PREFIX}${slug}`;
}

/**
 * The Secret Kamaji writes the tenant's admin kubeconfig to.
 *
 * @public
 */
export function adminKubeconfigSecretName(slug: string): string {
  return `${slug}-admin-kubeconfig`;
}

/**
 * The tenant entity ref.
 *
 * @public
 */
export function tenantEntityRef(slug: string): string {
  return `resource:default/${slug}`;
}

/**
 * Turns a department's display name (any Unicode) into its namespace name:
 * accents are removed ("Diagnóstico" → "diagnostico"), everything else that
 * is not a letter or digit becomes a dash, and the result is cut to 63
 * characters. Returns an empty string when nothing is left.
 *
 * @public
 */
export function departmentNamespaceName(department: string): string {
  const ascii = department
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[øØ]/g, 'o')
    .replace(/[đĐ]/g, 'd')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase();
  const dashed = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return dashed.slice(0, 63).replace(/-+$/, '');
}

/**
 * Suggests a slug for a hospital's display name ("Hospital São João" →
 * "hospital-sao-joao"), cut to the slug limit; a leading digit gets an
 * `h-` prefix because the slug must start with a letter.
 *
 * @public
 */
export function suggestTenantSlug(displayName: string): string {
  let slug = departmentNamespaceName(displayName);
  if (/^[0-9]/.test(slug)) {
    slug = `h-${slug}`;
  }
  return slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '');
}
