import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The English messages of the plugin: the defaults of
 * {@link hospitalTenantsTranslationRef}, and the fallback of form validators
 * that run before the app's translations are ready.
 *
 * @public
 */
export const hospitalTenantsEnglishMessages = {
  notConfigured:
    'The portal has no hospitalTenants configuration visible to the browser; ask the platform team to configure it.',
  configError: 'The hospitalTenants configuration is invalid: {{error}}',
  slugField: {
    title: 'Tenant ID (slug)',
    help: 'Derived from the hospital name as you type; you may edit it. Lowercase letters, digits and "-", starting with a letter, at most {{max}} characters. It names the tenant namespace (tenant-<slug>) and its catalog entity, and cannot be changed later.',
    useSuggestion: 'Use "{{suggestion}}"',
    required: 'Enter a tenant ID.',
    tooLong:
      'At most {{max}} characters, so that tenant-<slug> fits a namespace name (63).',
    format:
      'Only lowercase letters, digits and "-"; it must start with a letter and end with a letter or digit.',
    checking: 'Checking availability in the catalog…',
    available:
      'Available in the catalog (the provisioning step checks the cluster again).',
    taken: 'Already used by {{refs}}.',
    unknown:
      'Could not check availability ({{error}}); the provisioning step will check again.',
  },
  configPicker: {
    region: {
      title: 'Region',
      help: 'The GCP region that hosts the tenant (from the portal configuration).',
    },
    environment: {
      title: 'Environment',
      help: 'The environment within the region (from the portal configuration).',
    },
    kubernetesVersion: {
      title: 'Kubernetes version',
      help: 'The version of the tenant control plane; only supported versions are offered.',
    },
    chooseRegionFirst: 'Choose a region first.',
    required: 'Choose a value.',
    notOffered: '"{{value}}" is not offered by the portal configuration.',
    defaultSuffix: '(default)',
  },
  externalApis: {
    title: 'Approved external APIs',
    help: 'Public IPv4 CIDRs (one per line) the department namespaces may call on port 443. Prefilled with the platform defaults; leave as is unless the hospital needs more.',
    invalid: 'Line {{line}}: {{problem}}',
    duplicate: 'Line {{line}}: "{{cidr}}" is listed twice',
    resetToDefaults: 'Reset to the platform defaults',
  },
  review: {
    title: 'Review before anything runs',
    intro:
      'These are the sizing and cost that the provisioning step will apply, computed by the same model as the action and yarn render-tenant. Nothing has been created yet.',
    missing: 'Fill in {{fields}} in the previous steps to see the sizing.',
    fields: {
      region: 'the region',
      environment: 'the environment',
      dailyUsers: 'the daily users',
      departments: 'at least one department',
    },
    whatWillBeCreated: 'What will be created',
    tenantEntity: 'Catalog entity',
    managementNamespace: 'Management namespace',
    dataStore: 'DataStore',
    departmentNamespaces: 'Department namespaces',
    tier: 'Size class',
    controlPlane: 'Control plane',
    replicas: 'Replicas',
    component: 'Component',
    cpu: 'CPU',
    memory: 'Memory',
    podTotal: 'Pod total (per replica)',
    managementQuota:
      'Management namespace quota (with 100 % rolling-update surge)',
    pods: 'Pods',
    services: 'Services',
    loadBalancers: 'Load balancers',
    nodePorts: 'Node ports',
    secrets: 'Secrets',
    configMaps: 'ConfigMaps',
    departmentQuota: 'Quota per department',
    department: 'Department',
    namespace: 'Namespace',
    usersPerDepartment: 'Users per department',
    pvcs: 'PVCs',
    storage: 'Storage',
    tenantTotal: 'Tenant layer total',
    cost: 'Estimated monthly cost',
    costRange: '{{low}} – {{high}} per month',
    costExplanation:
      'Low: departments using half their quota; high: the full quota. Includes the control plane and the shared-platform share.',
    controlPlaneCost: 'Control plane',
    tenantCompute: 'Department compute',
    storageCost: 'Storage',
    sharedPlatform: 'Shared platform share',
    budget: 'Monthly budget',
    withinBudget: 'The estimate stays within the budget of {{budget}}.',
    overBudget:
      'The high estimate ({{high}}) exceeds the budget of {{budget}}: review the daily users, departments or budget.',
    noBudget: 'No budget entered yet.',
  },
  tenantCard: {
    title: 'Tenant isolation',
    phase: 'Phase',
    version: 'Kubernetes version',
    endpoint: 'API endpoint',
    score: 'Isolation score',
    scoreValue: '{{percent}} % ({{passed}} of {{total}} checks pass)',
    quota: 'Quota use (management namespace)',
    checks: 'Checks',
    layerManagement: 'Management cluster',
    layerTenant: 'Tenant cluster',
    resultPass: 'pass',
    resultFail: 'fail',
    resultUnknown: 'unknown',
    asOf: 'As of {{asOf}}',
    stale:
      'The cluster did not answer: showing the last known values, as of {{asOf}}.',
    notPermitted: "You may not see this tenant's status and isolation.",
    notFound: 'This tenant is not known to the tenant API.',
    empty: 'No isolation checks yet.',
    errorTitle: 'Could not load the tenant',
    pending: 'The control plane has not reported yet.',
    none: '—',
  },
  slaCard: {
    title: 'Tenant SLA',
    verdict: 'Verdict',
    met: 'met',
    atRisk: 'at risk',
    breached: 'breached',
    unknown: 'unknown',
    indicator: 'Promise',
    target: 'Target',
    measured: 'Measured',
    availability: 'Availability ({{window}})',
    budgetLeft: 'Error budget left: {{percent}}',
    latency: 'Latency: requests within {{seconds}} s',
    imprecise:
      'imprecise (no histogram bucket at the target); interpolated p95 {{p95}} s',
    throughput: 'Capacity',
    peak: 'Observed peak {{rps}} req/s',
    heldAtPeak: 'availability and latency held at the peak',
    notHeldAtPeak: 'availability or latency did not hold at the peak',
    capacityMet: 'met (load-test evidence)',
    capacityNotMet: 'not met (load-test evidence)',
    capacityNotMeasured: 'not measured',
    alert: 'Burn-rate alert',
    alertPage: 'page: the budget is burning fast',
    alertTicket: 'ticket: the budget is burning',
    alertOk: 'none',
    alertUnknown: 'no traffic',
    noData: 'no traffic',
    report: 'Monthly report ({{period}})',
    stale:
      'Prometheus did not answer: showing the last known values, as of {{asOf}}.',
    asOf: 'As of {{asOf}}',
    notPermitted: "You may not see this tenant's SLA.",
    notFound: 'This tenant is not known to the tenant API.',
    errorTitle: "Could not load the tenant's SLA",
    column: 'SLA',
    historyTitle: 'SLA history',
    historyMonth: 'Month',
    historyAvailability: 'Availability',
    historyLatency: 'Within {{seconds}} s',
    historyBudget: 'Error budget consumed',
    historyBreaches: 'Breaches',
    historyRunning: '{{period}} (so far)',
    historyCaption:
      'Calendar months in {{timeZone}}; targets: availability {{availability}}, 95 % of requests within {{seconds}} s.',
    historyEmpty: 'No SLA history yet.',
    historyNotPermitted: "You may not see this tenant's SLA history.",
    historyErrorTitle: "Could not load the tenant's SLA history",
    historyStale:
      'Prometheus did not answer: some months show the last known values, as of {{asOf}}.',
  },
  tenantContent: {
    title: 'Tenant',
    controlPlane: 'Control plane',
    replicas: 'Ready replicas',
    dataStore: 'DataStore',
    schema: 'Schema',
    age: 'Age',
    conditions: 'Deployment conditions',
  },
} as const;

/**
 * Strings of the hospital-tenants plugin: English by default, Brazilian
 * Portuguese shipped with the ref (loaded on demand when the app language is
 * pt-BR), in both frontend systems. An app may still override them with its
 * own translation resource.
 *
 * @public
 */
export const hospitalTenantsTranslationRef = createTranslationRef({
  id: 'hospital-tenants',
  messages: hospitalTenantsEnglishMessages,
  translations: {
    'pt-BR': () => import('./translations/pt-BR'),
  },
});
