import { z } from 'zod';
import { findOverlap, parseIpv4Cidr } from './cidr';
import { DNS_1123_LABEL } from './names';

const cidr = z.string().refine(value => parseIpv4Cidr(value) !== undefined, {
  error:
    'must be an IPv4 CIDR whose address is the network address, such as 10.1.0.0/16',
});

const port = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be a port between 1 and 65535')
  .max(65535, 'must be a port between 1 and 65535');

const namespaceName = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(DNS_1123_LABEL, 'must be a DNS-1123 label (a Kubernetes namespace)');

const labels = z.record(z.string(), z.string());

/** A Kubernetes version as Kamaji expects it: `v1.35.7`. @public */
export const KUBERNETES_VERSION_PATTERN = /^v1\.(\d+)\.(\d+)$/;

const kubernetesVersion = z
  .string()
  .regex(KUBERNETES_VERSION_PATTERN, 'must look like v1.35.7');

const pricingSchema = z.object({
  vcpuMonthBrl: z.number().positive('must be a positive price in BRL'),
  memoryGibMonthBrl: z.number().positive('must be a positive price in BRL'),
  storageGibMonthBrl: z.number().positive('must be a positive price in BRL'),
  sharedPlatformShare: z
    .number()
    .min(0, 'must be a fraction between 0 and 1')
    .max(1, 'must be a fraction between 0 and 1')
    .default(0.1),
});

/**
 * The zod schema of a price list (`hospitalTenants.pricing` and a region
 * environment's `pricing`), with the `sharedPlatformShare` default. Exported
 * so the browser applies the same defaults to the prices it may read.
 *
 * @public
 */
export const tenantPricingSchema = pricingSchema;

const oidcSchema = z.object({
  issuerUrl: z
    .string()
    .url('must be an https URL')
    .refine(value => value.startsWith('https://'), 'must be an https URL'),
  clientId: z.string().min(1, 'must not be empty'),
  usernameClaim: z.string().min(1).default('email'),
  usernamePrefix: z.string().default('oidc:'),
  groupsClaim: z.string().min(1).default('groups'),
  groupsPrefix: z.string().default('oidc:'),
  egressCidrs: z
    .array(cidr)
    .min(
      1,
      'must list the CIDRs of the OIDC issuer (policies cannot match host names)',
    ),
  egressPort: port.default(443),
});

const environmentSchema = z.object({
  workerCidrs: z
    .array(cidr)
    .min(1, 'must list at least one worker CIDR')
    .max(
      16,
      'must list at most 16 CIDRs (Kamaji loadBalancerSourceRanges limit)',
    ),
  dataStores: z.array(z.string()).min(1, 'must list at least one DataStore'),
  oidc: oidcSchema.optional(),
  pricing: pricingSchema.optional(),
});

const dataStoreSchema = z.strictObject({
  driver: z.enum(['etcd', 'MySQL', 'PostgreSQL', 'NATS']),
  network: z
    .object({
      namespace: namespaceName.optional(),
      podLabels: labels.optional(),
      cidrs: z.array(cidr).min(1).optional(),
      port,
    })
    .refine(n => (n.namespace === undefined) !== (n.cidrs === undefined), {
      error:
        'must give exactly one destination: a namespace (in-cluster DataStore) or cidrs',
    }),
});

const defaultDns = {
  namespace: 'kube-system',
  podLabels: { 'k8s-app': 'kube-dns' },
  nodeLocalDnsCidrs: ['169.254.20.10/32'],
};

const networkSchema = z.strictObject({
  platformCidrs: z.array(cidr).default([]),
  management: z.strictObject({
    kamajiNamespace: namespaceName.default('kamaji-system'),
    portalNamespace: namespaceName.default('backstage'),
    monitoringNamespace: namespaceName.default('monitoring'),
    nodeCidrs: z.array(cidr).min(1, 'must list the management node CIDRs'),
    podCidrs: z.array(cidr).min(1, 'must list the management pod CIDRs'),
    loadBalancerTrafficSource: z.enum(['nodes', 'clients']).default('nodes'),
  }),
  tenantCluster: z
    .strictObject({
      ingressNamespaces: z.array(namespaceName).default(['ingress-nginx']),
      monitoringNamespaces: z.array(namespaceName).default(['monitoring']),
      sharedServiceNamespaces: z.array(namespaceName).default([]),
    })
    .default({
      ingressNamespaces: ['ingress-nginx'],
      monitoringNamespaces: ['monitoring'],
      sharedServiceNamespaces: [],
    }),
  dns: z
    .strictObject({
      namespace: namespaceName.default(defaultDns.namespace),
      podLabels: labels.default(defaultDns.podLabels),
      nodeLocalDnsCidrs: z.array(cidr).default(defaultDns.nodeLocalDnsCidrs),
    })
    .default(defaultDns),
});

const httpsUrl = (error: string) => z.url({ protocol: /^https$/, error });

/** A Backstage duration: a `HumanDuration` object or an ISO 8601 / ms string. */
const durationValue = z.union([
  z.string().min(1),
  z.record(z.string(), z.number()),
]);

const clusterIdentitySchema = z
  .strictObject({
    token: z.string().min(1).optional(),
    tokenFile: z.string().min(1).optional(),
    kubeconfigPath: z.string().min(1).optional(),
  })
  .refine(
    id =>
      id.token !== undefined ||
      id.tokenFile !== undefined ||
      id.kubeconfigPath !== undefined,
    { error: 'set token, tokenFile or kubeconfigPath' },
  );

/**
 * The zod schema of `hospitalTenants.clusters`: the management cluster and
 * the portal's two identities on it (see `config.d.ts` of the -node package).
 *
 * @public
 */
export const hospitalTenantsClustersConfigSchema = z.strictObject({
  management: z.strictObject({
    url: httpsUrl('must be an https:// URL').optional(),
    caData: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    provisioner: clusterIdentitySchema.optional(),
    reader: clusterIdentitySchema.optional(),
  }),
});

/**
 * The zod schema of `hospitalTenants.provisioning`: the provisioning
 * actions' settings (see `config.d.ts` of the scaffolder module). Durations
 * are read with `readDurationFromConfig`.
 *
 * @public
 */
export const hospitalTenantsProvisioningConfigSchema = z.strictObject({
  readyTimeout: durationValue.optional(),
  entityTimeout: durationValue.optional(),
  pollInterval: durationValue.optional(),
  requestTimeout: durationValue.optional(),
  fieldManager: z.string().min(1).optional(),
  provisionerServiceAccount: z
    .strictObject({
      name: z.string().min(1),
      namespace: z.string().min(1),
    })
    .optional(),
  managementServiceAccountIssuer: z
    .strictObject({
      url: httpsUrl('must be an https URL'),
      certificateAuthority: z.string().min(1).optional(),
    })
    .optional(),
  grantJanitor: z
    .strictObject({
      frequency: durationValue.optional(),
      maxAge: durationValue.optional(),
    })
    .optional(),
});

/**
 * The zod schema of `hospitalTenants.permissions`: the groups of the
 * portal's permission policy (see `config.d.ts` of the backend package).
 *
 * @public
 */
export const hospitalTenantsPermissionsConfigSchema = z.strictObject({
  platformGroup: z.string().min(1).optional(),
  financeGroup: z.string().min(1).optional(),
});

/**
 * The zod schema of the `hospitalTenants` configuration block read by the
 * plan builders (see `config.d.ts` of the -node package for documentation).
 *
 * @public
 */
export const hospitalTenantsConfigSchema = z
  .object({
    kubernetesVersions: z.strictObject({
      supported: z
        .array(kubernetesVersion)
        .min(1, 'must list at least one version'),
      default: kubernetesVersion.optional(),
    }),
    dataStores: z.record(
      z
        .string()
        .regex(DNS_1123_LABEL, 'DataStore names must be DNS-1123 labels'),
      dataStoreSchema,
    ),
    regions: z.record(
      z.string().regex(DNS_1123_LABEL, 'region names must be DNS-1123 labels'),
      z.strictObject({
        displayName: z.string().optional(),
        environments: z.record(
          z
            .string()
            .regex(DNS_1123_LABEL, 'environment names must be DNS-1123 labels'),
          z.strictObject(environmentSchema.shape),
        ),
      }),
    ),
    pricing: z.strictObject(pricingSchema.shape),
    approvedExternalApis: z
      .strictObject({
        defaultCidrs: z.array(cidr).default([]),
        ports: z.array(port).min(1).default([443]),
      })
      .default({ defaultCidrs: [], ports: [443] }),
    network: networkSchema,
    // the sections other packages read, checked here too
    clusters: hospitalTenantsClustersConfigSchema.optional(),
    provisioning: hospitalTenantsProvisioningConfigSchema.optional(),
    permissions: hospitalTenantsPermissionsConfigSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const { kubernetesVersions, regions, dataStores, network } = config;
    if (
      kubernetesVersions.default &&
      !kubernetesVersions.supported.includes(kubernetesVersions.default)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['kubernetesVersions', 'default'],
        message: 'must be one of kubernetesVersions.supported',
      });
    }
    for (const [region, { environments }] of Object.entries(regions)) {
      for (const [env, environment] of Object.entries(environments)) {
        environment.dataStores.forEach((name, index) => {
          if (!dataStores[name]) {
            ctx.addIssue({
              code: 'custom',
              path: [
                'regions',
                region,
                'environments',
                env,
                'dataStores',
                index,
              ],
              message: `names DataStore "${name}", which is not configured under dataStores`,
            });
          }
        });
        environment.workerCidrs.forEach((workerCidr, index) => {
          const clash = findOverlap(workerCidr, [
            ...network.management.podCidrs,
            ...network.management.nodeCidrs,
          ]);
          if (clash) {
            ctx.addIssue({
              code: 'custom',
              path: [
                'regions',
                region,
                'environments',
                env,
                'workerCidrs',
                index,
              ],
              message: `must not overlap the management cluster range ${clash}`,
            });
          }
        });
      }
    }
    const { management } = network;
    for (const key of [
      'kamajiNamespace',
      'portalNamespace',
      'monitoringNamespace',
    ] as const) {
      if (management[key].startsWith('tenant-')) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', 'management', key],
          message:
            'must not start with "tenant-" (the prefix of tenant namespaces)',
        });
      }
    }
    management.nodeCidrs.forEach((nodeCidr, index) => {
      const clash = findOverlap(nodeCidr, management.podCidrs);
      if (clash) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', 'management', 'nodeCidrs', index],
          message: `must not overlap the management pod range ${clash}`,
        });
      }
    });
  });

/**
 * The validated `hospitalTenants` configuration (defaults applied).
 *
 * @public
 */
export type HospitalTenantsConfig = z.output<
  typeof hospitalTenantsConfigSchema
>;

/**
 * The `hospitalTenants` configuration as written in app-config (defaults
 * optional).
 *
 * @public
 */
export type HospitalTenantsConfigInput = z.input<
  typeof hospitalTenantsConfigSchema
>;

/**
 * Prices used by the cost estimate.
 *
 * @public
 */
export type TenantPricing = z.output<typeof tenantPricingSchema>;

/**
 * The configuration of one region and environment.
 *
 * @public
 */
export type TenantEnvironmentConfig =
  HospitalTenantsConfig['regions'][string]['environments'][string];

/**
 * One configured, pre-provisioned DataStore.
 *
 * @public
 */
export type DataStoreConfig = HospitalTenantsConfig['dataStores'][string];

/**
 * Formats a zod issue path the way configuration and spec errors name
 * fields: `regions.southamerica-east1.environments.production.workerCidrs[0]`.
 *
 * @public
 */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') {
      return `${acc}[${part}]`;
    }
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

/**
 * Validates a `hospitalTenants` configuration object. Returns the parsed
 * configuration, or messages that each start with the configuration path.
 *
 * @public
 */
export function parseHospitalTenantsConfig(
  input: unknown,
):
  | { success: true; data: HospitalTenantsConfig }
  | { success: false; errors: string[] } {
  const result = hospitalTenantsConfigSchema.safeParse(input);
  if (result.success) {
    return { success: true, data: result.data };
  }
  return {
    success: false,
    errors: result.error.issues.map(issue => {
      const path = formatIssuePath(['hospitalTenants', ...issue.path]);
      return `${path}: ${issue.message}`;
    }),
  };
}

/**
 * The environment configuration and effective prices for a region and
 * environment, or undefined when not configured.
 *
 * @public
 */
export function resolveEnvironment(
  config: HospitalTenantsConfig,
  region: string,
  environment: string,
): (TenantEnvironmentConfig & { effectivePricing: TenantPricing }) | undefined {
  const env = Object.prototype.hasOwnProperty.call(config.regions, region)
    ? config.regions[region].environments[environment]
    : undefined;
  if (
    !env ||
    !Object.prototype.hasOwnProperty.call(
      config.regions[region].environments,
      environment,
    )
  ) {
    return undefined;
  }
  return { ...env, effectivePricing: env.pricing ?? config.pricing };
}
