import type { CatalogApi } from '@backstage/plugin-catalog-react';
import {
  DNS_1035_LABEL,
  MAX_SLUG_LENGTH,
  TENANT_ANNOTATIONS,
} from '@prontuario/plugin-hospital-tenants-common';

/**
 * Why a slug is malformed, as a translation key of the slug field.
 *
 * @public
 */
export type SlugFormatProblem = 'required' | 'tooLong' | 'format';

/**
 * Checks a slug with the rules of `tenantSpecBaseSchema`: a DNS-1035 label
 * of at most `MAX_SLUG_LENGTH` characters.
 *
 * @public
 */
export function checkSlugFormat(
  slug: string | undefined,
): SlugFormatProblem | undefined {
  if (!slug) {
    return 'required';
  }
  if (slug.length > MAX_SLUG_LENGTH) {
    return 'tooLong';
  }
  if (!DNS_1035_LABEL.test(slug)) {
    return 'format';
  }
  return undefined;
}

/**
 * The catalog entities that already use a slug: a tenant whose
 * `hospital-tenants.io/tenant-id` annotation is the slug, or any
 * Resource named like it in the default namespace (the new tenant's entity
 * ref `resource:default/<slug>` would clash). The provisioning
 * action checks again on the cluster: it has the final word.
 *
 * @public
 */
export async function findTenantsUsingSlug(
  catalogApi: Pick<CatalogApi, 'getEntities'>,
  slug: string,
): Promise<string[]> {
  const { items } = await catalogApi.getEntities({
    filter: [
      {
        kind: 'Resource',
        [`metadata.annotations.${TENANT_ANNOTATIONS.tenantId}`]: slug,
      },
      {
        kind: 'Resource',
        'metadata.namespace': 'default',
        'metadata.name': slug,
      },
    ],
    fields: ['kind', 'metadata.namespace', 'metadata.name'],
  });
  return items.map(
    e =>
      `${e.kind.toLocaleLowerCase('en-US')}:${
        e.metadata.namespace ?? 'default'
      }/${e.metadata.name}`,
  );
}
