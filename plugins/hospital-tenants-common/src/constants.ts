/**
 * The plugin id shared by every package of the suite.
 *
 * @public
 */
export const HOSPITAL_TENANTS_PLUGIN_ID = 'hospital-tenants';

/**
 * The catalog `spec.type` of a tenant `Resource` entity, also the search
 * document type and the permission resource type.
 *
 * @public
 */
export const HOSPITAL_TENANT_TYPE = 'hospital-tenant';

/**
 * The system every tenant entity is part of.
 *
 * @public
 */
export const HOSPITAL_TENANTS_SYSTEM = 'prontuario-medico';

/**
 * Label put on every object of both layers of a tenant (cost allocation and
 * ingestion); its value is the tenant slug.
 *
 * @public
 */
export const TENANT_LABEL = 'hospital-tenants.io/tenant';

/**
 * Standard Backstage label/annotation that links Kubernetes objects to an
 * entity for the Kubernetes tab.
 *
 * @public
 */
export const BACKSTAGE_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * Annotation (on the owner group entity) naming the group the tenant API
 * server authenticates through OIDC.
 *
 * @public
 */
export const CLUSTER_GROUP_ANNOTATION = 'hospital-tenants.io/cluster-group';

/**
 * Annotation on every rendered object saying which cluster it targets.
 *
 * @public
 */
export const TARGET_CLUSTER_ANNOTATION = 'hospital-tenants.io/target-cluster';

/**
 * The facts of a tenant, put as annotations on its TenantControlPlane and
 * copied onto its catalog entity.
 *
 * @public
 */
export const TENANT_ANNOTATIONS = {
  tenantId: 'hospital-tenants.io/tenant-id',
  displayName: 'hospital-tenants.io/display-name',
  dailyUsers: 'hospital-tenants.io/daily-users',
  departments: 'hospital-tenants.io/departments',
  region: 'hospital-tenants.io/region',
  environment: 'hospital-tenants.io/environment',
  monthlyBudgetBrl: 'hospital-tenants.io/monthly-budget-brl',
  slaP95Seconds: 'hospital-tenants.io/sla-p95-seconds',
  slaAvailability: 'hospital-tenants.io/sla-availability',
  slaThroughputRps: 'hospital-tenants.io/sla-throughput-rps',
  kubernetesVersion: 'hospital-tenants.io/kubernetes-version',
  owner: 'hospital-tenants.io/owner',
  sizingTier: 'hospital-tenants.io/sizing-tier',
} as const;

/**
 * The clusters a rendered object can target.
 *
 * @public
 */
export type TargetCluster = 'management-cluster' | 'tenant-cluster';

/** The prefix of a tenant's namespace on the management cluster. @public */
export const MANAGEMENT_NAMESPACE_PREFIX = 'tenant-';

/**
 * The longest slug for which every derived name fits its Kubernetes limit:
 * the management namespace `tenant-<slug>` is a DNS-1123 label (63).
 *
 * @public
 */
export const MAX_SLUG_LENGTH = 63 - MANAGEMENT_NAMESPACE_PREFIX.length;

/**
 * The events service topic on which a changed tenant is announced, so the
 * catalog entity provider ingests it at once instead of on its schedule.
 *
 * @public
 */
export const HOSPITAL_TENANTS_EVENT_TOPIC = 'hospital-tenants';

/**
 * The payload of an event on {@link HOSPITAL_TENANTS_EVENT_TOPIC}: the tenant
 * whose TenantControlPlane was created, changed or deleted.
 *
 * @public
 */
export interface HospitalTenantChangedEvent {
  type: 'tenant.changed';
  /** The tenant slug. */
  tenantId: string;
}
