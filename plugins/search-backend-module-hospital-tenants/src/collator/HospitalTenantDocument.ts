import { Entity } from '@backstage/catalog-model';
import { IndexableDocument } from '@backstage/plugin-search-common';
import {
  foldAccents,
  TENANT_ANNOTATIONS,
  TenantListItem,
} from '@prontuario/plugin-hospital-tenants-common';

/**
 * The search document of one hospital tenant (type `hospital-tenant`). No
 * cost figures and no personal data: only what the tenant API and the
 * tenant's catalog entity say about the tenant itself.
 *
 * @public
 */
export interface HospitalTenantDocument extends IndexableDocument {
  /** The slug (tenant id). */
  tenantId: string;
  /** The hospital's display name, as written ("Hospital São João"). */
  hospitalName: string;
  /** {@link HospitalTenantDocument.hospitalName} without accents ("Hospital Sao Joao"). */
  hospitalNameFolded: string;
  region: string;
  environment: string;
  departments: string[];
  /** The owning group's entity ref. */
  owner: string;
  /** The observed Kubernetes version, else the requested one; empty when unknown. */
  kubernetesVersion: string;
  /** The control plane's phase (Ready, Provisioning, …); empty when not read yet. */
  phase: string;
  /** The SLA verdict (met, at-risk, breached); empty until the SLA refresh has one. */
  slaVerdict: string;
  authorization: { resourceRef: string };
}

/**
 * One tenant as the collator reads it: the tenant API's list item and the
 * tenant's catalog entity (its facts are annotations).
 *
 * @public
 */
export interface HospitalTenantFacts {
  item: TenantListItem;
  entity: Entity;
}

function annotation(entity: Entity, key: string): string {
  return entity.metadata.annotations?.[key]?.trim() ?? '';
}

/** The words of the document's `text`: each value, and its folded form when it differs. */
function withFolded(values: string[]): string[] {
  return values.flatMap(value => {
    const folded = foldAccents(value);
    return folded === value ? [value] : [value, folded];
  });
}

/**
 * Builds the document of a tenant. The accent-folded forms of the name and
 * departments go into `text`, so an unaccented query finds an accented name
 * on engines that do not fold accents (PostgreSQL `english`, Lunr).
 *
 * @public
 */
export function toHospitalTenantDocument(
  facts: HospitalTenantFacts,
): HospitalTenantDocument {
  const { item, entity } = facts;
  const hospitalName =
    annotation(entity, TENANT_ANNOTATIONS.displayName) ||
    entity.metadata.title ||
    item.tenantId;
  const departments = annotation(entity, TENANT_ANNOTATIONS.departments)
    .split(',')
    .map(d => d.trim())
    .filter(Boolean);
  const region = annotation(entity, TENANT_ANNOTATIONS.region);
  const environment = annotation(entity, TENANT_ANNOTATIONS.environment);
  const owner =
    annotation(entity, TENANT_ANNOTATIONS.owner) ||
    (typeof entity.spec?.owner === 'string' ? entity.spec.owner : '');
  const text = [
    ...withFolded([hospitalName]),
    item.tenantId,
    region,
    environment,
    ...withFolded(departments),
  ]
    .filter(Boolean)
    .join(' ');
  return {
    title: hospitalName,
    text,
    location: `/catalog/default/resource/${item.tenantId}`,
    tenantId: item.tenantId,
    hospitalName,
    hospitalNameFolded: foldAccents(hospitalName),
    region,
    environment,
    departments,
    owner,
    kubernetesVersion:
      item.summary?.version ??
      annotation(entity, TENANT_ANNOTATIONS.kubernetesVersion),
    phase: item.summary?.phase ?? '',
    // 'unknown' (no refresh yet) is no verdict: left empty like a missing one
    slaVerdict:
      item.sla && item.sla.verdict !== 'unknown' ? item.sla.verdict : '',
    authorization: { resourceRef: item.entityRef },
  };
}
