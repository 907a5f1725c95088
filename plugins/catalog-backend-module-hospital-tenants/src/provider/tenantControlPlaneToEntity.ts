import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  BACKSTAGE_KUBERNETES_ID,
  DNS_1035_LABEL,
  GROUP_ENTITY_REF_PATTERN,
  HOSPITAL_TENANT_TYPE,
  KUBERNETES_VERSION_PATTERN,
  managementNamespaceName,
  MAX_SLUG_LENGTH,
  TENANT_ANNOTATIONS,
  TENANT_LABEL,
} from '@prontuario/plugin-hospital-tenants-common';
import { z } from 'zod';

/** The fields of a TenantControlPlane the provider reads. @public */
export interface TenantControlPlaneLike {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  status?: {
    kubernetesResources?: { version?: { status?: string; version?: string } };
    controlPlaneEndpoint?: string;
  };
}

const number = (rule: string, check: (n: number) => boolean) =>
  z
    .string({ error: 'is missing' })
    .refine(v => v.trim() !== '' && check(Number(v)), { error: rule });

/**
 * The facts a tenant entity carries, as the plan puts them on the
 * TenantControlPlane. Every one is required: a TenantControlPlane without
 * them was not made by the portal's plan (or was edited by hand) and is
 * skipped with a message naming the bad annotation.
 */
const factsSchema = z.object({
  [TENANT_ANNOTATIONS.tenantId]: z
    .string({ error: 'is missing' })
    .max(MAX_SLUG_LENGTH, `must be at most ${MAX_SLUG_LENGTH} characters`)
    .regex(DNS_1035_LABEL, 'must be a DNS-1035 label'),
  [TENANT_ANNOTATIONS.displayName]: z
    .string({ error: 'is missing' })
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters'),
  [TENANT_ANNOTATIONS.dailyUsers]: number(
    'must be a positive whole number',
    n => Number.isInteger(n) && n > 0,
  ),
  [TENANT_ANNOTATIONS.departments]: z
    .string({ error: 'is missing' })
    .refine(v => v.split(',').every(d => d.trim() !== ''), {
      error: 'must be a comma-separated list of department names',
    }),
  [TENANT_ANNOTATIONS.region]: z.string({ error: 'is missing' }).min(1),
  [TENANT_ANNOTATIONS.environment]: z.string({ error: 'is missing' }).min(1),
  [TENANT_ANNOTATIONS.monthlyBudgetBrl]: number(
    'must be a non-negative number',
    n => Number.isFinite(n) && n >= 0,
  ),
  [TENANT_ANNOTATIONS.slaP95Seconds]: number(
    'must be a positive number',
    n => Number.isFinite(n) && n > 0,
  ),
  [TENANT_ANNOTATIONS.slaAvailability]: number(
    'must be a percentage between 0 and 100',
    n => Number.isFinite(n) && n > 0 && n <= 100,
  ),
  [TENANT_ANNOTATIONS.slaThroughputRps]: number(
    'must be a positive number',
    n => Number.isFinite(n) && n > 0,
  ),
  [TENANT_ANNOTATIONS.kubernetesVersion]: z
    .string({ error: 'is missing' })
    .regex(KUBERNETES_VERSION_PATTERN, 'must look like v1.35.7'),
  [TENANT_ANNOTATIONS.owner]: z
    .string({ error: 'is missing' })
    .regex(
      GROUP_ENTITY_REF_PATTERN,
      'must be a group entity ref such as group:default/hospital-sao-joao',
    ),
});

/**
 * The location a tenant entity names in its `managed-by-location` and
 * `managed-by-origin-location` annotations: `hospital-tenants:<slug>`. It
 * names no cluster URL, namespace or object, so an entity (and
 * `/api/catalog/locations/by-entity/...`) tells a reader nothing about the
 * management cluster.
 */
export function tenantEntityLocation(slug: string): string {
  return `hospital-tenants:${slug}`;
}

/**
 * Maps one TenantControlPlane carrying the `hospital-tenants.io/tenant`
 * label to its catalog entity `resource:default/<slug>`, owned by the
 * hospital's group and part of no System (the shared System is readable by
 * every hospital, so its `hasPart` relations would name every tenant). Throws an
 * `InputError` naming the first bad fact.
 *
 * @public
 */
export function tenantControlPlaneToEntity(
  tcp: TenantControlPlaneLike,
): Entity {
  const name = tcp.metadata?.name ?? '';
  const namespace = tcp.metadata?.namespace ?? '';
  const where = `TenantControlPlane ${namespace}/${name}`;
  const slug = tcp.metadata?.labels?.[TENANT_LABEL];
  if (!slug) {
    throw new InputError(`${where}: has no ${TENANT_LABEL} label`);
  }

  const parsed = factsSchema.safeParse(tcp.metadata?.annotations ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `${where}: annotation ${String(issue.path[0])} ${issue.message}`,
    );
  }
  const facts = parsed.data;
  if (facts[TENANT_ANNOTATIONS.tenantId] !== slug) {
    throw new InputError(
      `${where}: annotation ${TENANT_ANNOTATIONS.tenantId} "${
        facts[TENANT_ANNOTATIONS.tenantId]
      }" does not match the ${TENANT_LABEL} label "${slug}"`,
    );
  }
  if (namespace !== managementNamespaceName(slug)) {
    throw new InputError(
      `${where}: a tenant's control plane lives in namespace ${managementNamespaceName(
        slug,
      )}`,
    );
  }

  const environment = facts[TENANT_ANNOTATIONS.environment];
  const region = facts[TENANT_ANNOTATIONS.region];
  const location = tenantEntityLocation(slug);
  const status = tcp.status?.kubernetesResources?.version?.status;

  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: slug,
      namespace: 'default',
      title: facts[TENANT_ANNOTATIONS.displayName],
      description: `Hospital tenant of the Prontuário Médico platform: Kamaji control plane ${namespace}/${name}.`,
      annotations: {
        ...facts,
        ...(tcp.metadata?.annotations?.[TENANT_ANNOTATIONS.sizingTier] && {
          [TENANT_ANNOTATIONS.sizingTier]:
            tcp.metadata.annotations[TENANT_ANNOTATIONS.sizingTier],
        }),
        [BACKSTAGE_KUBERNETES_ID]: slug,
        'backstage.io/kubernetes-namespace': namespace,
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      },
      labels: {
        'hospital-tenants.io/region': region,
        'hospital-tenants.io/environment': environment,
        ...(status && { 'hospital-tenants.io/status': status.toLowerCase() }),
      },
      tags: [HOSPITAL_TENANT_TYPE, region, environment].filter(tag =>
        /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/.test(tag),
      ),
    },
    spec: {
      type: HOSPITAL_TENANT_TYPE,
      owner: facts[TENANT_ANNOTATIONS.owner],
      lifecycle: environment,
    },
  };
}
