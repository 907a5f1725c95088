import { z } from 'zod';
import { findOverlap, NON_PUBLIC_IPV4_RANGES, parseIpv4Cidr } from './cidr';
import {
  formatIssuePath,
  HospitalTenantsConfig,
  resolveEnvironment,
} from './config';
import { MAX_SLUG_LENGTH } from './constants';
import {
  DNS_1035_LABEL,
  departmentNamespaceName,
  GROUP_ENTITY_REF_PATTERN,
  RESERVED_NAMESPACES,
} from './names';

/** The largest number of daily users a spec may declare. @public */
export const MAX_DAILY_USERS = 100_000;
/** The largest number of departments a spec may declare. @public */
export const MAX_DEPARTMENTS = 50;

/** Defaults from the brief's KPIs. @public */
export const DEFAULT_SLA = {
  p95Seconds: 2,
  availabilityPercent: 99.9,
  throughputRps: 1000,
} as const;

/**
 * C0 and C1 control characters and the Unicode line and paragraph
 * separators: YAML (and many log and comment formats) treat U+0085 (NEL),
 * U+2028 and U+2029 as line breaks, so a name carrying one could end the
 * comment line of a rendered plan and inject YAML.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * The widest range an approved external API CIDR may be: a /16 (65,536
 * addresses). A wider range (`32.0.0.0/3` is an eighth of the Internet)
 * would open the tenant's egress to far more than one API; list the API's
 * own ranges instead.
 *
 * @public
 */
export const MIN_APPROVED_CIDR_PREFIX = 16;

const displayName = z
  .string({ error: 'is required and must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine(value => !CONTROL_CHARACTERS.test(value), {
    error: 'must not contain control characters',
  });

const slug = z
  .string({ error: 'is required and must be text' })
  .max(
    MAX_SLUG_LENGTH,
    `must be at most ${MAX_SLUG_LENGTH} characters, so that tenant-<slug> fits a namespace name (63)`,
  )
  .regex(
    DNS_1035_LABEL,
    'must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
  );

const departmentName = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .refine(value => !value.includes(','), {
    error: 'must not contain a comma',
  })
  .refine(value => !CONTROL_CHARACTERS.test(value), {
    error: 'must not contain control characters',
  })
  .refine(value => departmentNamespaceName(value) !== '', {
    error: 'must contain at least one letter or digit',
  })
  .refine(
    value => {
      const ns = departmentNamespaceName(value);
      return !RESERVED_NAMESPACES.includes(ns) && !ns.startsWith('kube-');
    },
    {
      error:
        'must not map to a reserved namespace (default, kube-system, kube-public, kube-node-lease or kube-*)',
    },
  );

const entityRefGroup = z
  .string({ error: 'is required and must be text' })
  .regex(
    GROUP_ENTITY_REF_PATTERN,
    'must be a group entity ref such as group:default/hospital-sao-joao',
  );

const clusterGroup = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .refine(value => !value.startsWith('system:'), {
    error: 'must not be a system: group',
  })
  .refine(value => !CONTROL_CHARACTERS.test(value), {
    error: 'must not contain control characters',
  });

/**
 * The part of the tenant spec that needs no configuration to check: what a
 * form can validate in the browser.
 *
 * @public
 */
export const tenantSpecBaseSchema = z
  .strictObject({
    displayName,
    slug,
    region: z.string({ error: 'is required' }).min(1, 'must not be empty'),
    environment: z.string({ error: 'is required' }).min(1, 'must not be empty'),
    dailyUsers: z
      .number({ error: 'is required and must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_DAILY_USERS, `must be at most ${MAX_DAILY_USERS}`),
    departments: z
      .array(departmentName, { error: 'must be a list of department names' })
      .min(1, 'must list at least one department')
      .max(MAX_DEPARTMENTS, `must list at most ${MAX_DEPARTMENTS} departments`),
    kubernetesVersion: z.string().optional(),
    dataStore: z.string().optional(),
    sla: z
      .strictObject({
        p95Seconds: z
          .number({ error: 'must be a number' })
          .positive('must be positive')
          .max(60, 'must be at most 60 seconds')
          .default(DEFAULT_SLA.p95Seconds),
        availabilityPercent: z
          .number({ error: 'must be a number' })
          .min(90, 'must be at least 90 (percent)')
          .max(99.999, 'must be at most 99.999 (percent)')
          .default(DEFAULT_SLA.availabilityPercent),
        throughputRps: z
          .number({ error: 'must be a number' })
          .positive('must be positive')
          .max(1_000_000, 'must be at most 1000000')
          .default(DEFAULT_SLA.throughputRps),
      })
      .default({ ...DEFAULT_SLA }),
    monthlyBudgetBrl: z
      .number({ error: 'is required and must be a number' })
      .positive('must be a positive amount in BRL')
      .max(100_000_000, 'must be at most 100000000'),
    ownerGroup: entityRefGroup,
    clusterGroup: clusterGroup.optional(),
    approvedExternalApiCidrs: z
      .array(z.string({ error: 'must be text' }))
      .max(50, 'must list at most 50 CIDRs')
      .optional(),
  })
  .superRefine((spec, ctx) => {
    const seen = new Map<string, number>();
    spec.departments.forEach((name, index) => {
      const ns = departmentNamespaceName(name);
      const first = seen.get(ns);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['departments', index],
          message: `maps to namespace "${ns}", the same as departments[${first}]`,
        });
      } else {
        seen.set(ns, index);
      }
    });
  });

/**
 * A validated tenant spec with every default resolved against the
 * configuration.
 *
 * @public
 */
export interface TenantSpec {
  displayName: string;
  slug: string;
  region: string;
  environment: string;
  dailyUsers: number;
  departments: string[];
  kubernetesVersion: string;
  dataStore: string;
  sla: {
    p95Seconds: number;
    availabilityPercent: number;
    throughputRps: number;
  };
  monthlyBudgetBrl: number;
  ownerGroup: string;
  /** The group the tenant API server authenticates (before the OIDC prefix). */
  clusterGroup: string;
  approvedExternalApiCidrs: string[];
}

/**
 * The tenant spec as a user writes it (defaults optional).
 *
 * @public
 */
export type TenantSpecInput = z.input<typeof tenantSpecBaseSchema>;

/**
 * One problem with a tenant spec: the field path and a message that starts
 * with it.
 *
 * @public
 */
export interface TenantSpecIssue {
  field: string;
  message: string;
}

/**
 * The result of validating a tenant spec.
 *
 * @public
 */
export type TenantSpecResult =
  | { success: true; spec: TenantSpec }
  | { success: false; issues: TenantSpecIssue[] };

function issue(field: (string | number)[], message: string): TenantSpecIssue {
  const path = formatIssuePath(field) || 'spec';
  return { field: path, message: `${path}: ${message}` };
}

/**
 * Checks one approved external API CIDR: it must be a public IPv4 range that
 * overlaps neither private/reserved space, nor the platform's ranges, nor
 * any configured worker network.
 *
 * @public
 */
export function checkApprovedExternalCidr(
  cidr: string,
  config?: HospitalTenantsConfig,
): string | undefined {
  if (!parseIpv4Cidr(cidr)) {
    return `"${cidr}" must be an IPv4 CIDR whose address is the network address, such as 203.0.113.0/24`;
  }
  const { prefix } = parseIpv4Cidr(cidr)!;
  if (prefix < MIN_APPROVED_CIDR_PREFIX) {
    return `"${cidr}" is too wide: an approved external API range may be at most a /${MIN_APPROVED_CIDR_PREFIX} (${(
      2 **
      (32 - MIN_APPROVED_CIDR_PREFIX)
    ).toLocaleString('en-US')} addresses); list the API's own ranges`;
  }
  const privateClash = findOverlap(cidr, NON_PUBLIC_IPV4_RANGES);
  if (privateClash) {
    return `"${cidr}" overlaps the private or reserved range ${privateClash}; approved external APIs must be public`;
  }
  if (!config) {
    return undefined;
  }
  const platform = [
    ...config.network.platformCidrs,
    ...config.network.management.nodeCidrs,
    ...config.network.management.podCidrs,
  ];
  const platformClash = findOverlap(cidr, platform);
  if (platformClash) {
    return `"${cidr}" overlaps the platform range ${platformClash}`;
  }
  for (const [region, { environments }] of Object.entries(config.regions)) {
    for (const [env, { workerCidrs }] of Object.entries(environments)) {
      const workerClash = findOverlap(cidr, workerCidrs);
      if (workerClash) {
        return `"${cidr}" overlaps the tenant worker range ${workerClash} (${region}/${env})`;
      }
    }
  }
  return undefined;
}

/**
 * Validates a tenant spec against the static rules and the configuration,
 * resolving defaults. Every issue names its field and the rule it breaks.
 *
 * @public
 */
export function parseTenantSpec(
  input: unknown,
  config: HospitalTenantsConfig,
): TenantSpecResult {
  const base = tenantSpecBaseSchema.safeParse(input);
  const issues: TenantSpecIssue[] = [];
  if (!base.success) {
    for (const zodIssue of base.error.issues) {
      let message = zodIssue.message;
      if (zodIssue.code === 'unrecognized_keys') {
        message = `unknown field(s) ${zodIssue.keys.join(', ')}`;
      }
      issues.push(issue(zodIssue.path as (string | number)[], message));
    }
    return { success: false, issues };
  }
  const spec = base.data;

  const regionNames = Object.keys(config.regions);
  const env = resolveEnvironment(config, spec.region, spec.environment);
  if (!Object.prototype.hasOwnProperty.call(config.regions, spec.region)) {
    issues.push(
      issue(
        ['region'],
        `must be one of the configured regions: ${regionNames.join(', ')}`,
      ),
    );
  } else if (!env) {
    const envs = Object.keys(config.regions[spec.region].environments);
    issues.push(
      issue(
        ['environment'],
        `must be one of the environments configured for region ${
          spec.region
        }: ${envs.join(', ')}`,
      ),
    );
  }

  const platformNamespaces = [
    ...config.network.tenantCluster.ingressNamespaces,
    ...config.network.tenantCluster.monitoringNamespaces,
    ...config.network.tenantCluster.sharedServiceNamespaces,
    config.network.dns.namespace,
  ];
  spec.departments.forEach((name, index) => {
    const ns = departmentNamespaceName(name);
    if (platformNamespaces.includes(ns)) {
      issues.push(
        issue(
          ['departments', index],
          `maps to namespace "${ns}", which the tenant cluster's platform services use`,
        ),
      );
    }
  });

  const supported = config.kubernetesVersions.supported;
  const kubernetesVersion =
    spec.kubernetesVersion ??
    config.kubernetesVersions.default ??
    supported[supported.length - 1];
  if (!supported.includes(kubernetesVersion)) {
    issues.push(
      issue(
        ['kubernetesVersion'],
        `must be one of the supported versions: ${supported.join(', ')}`,
      ),
    );
  }

  let dataStore = spec.dataStore ?? '';
  if (env) {
    dataStore = spec.dataStore ?? env.dataStores[0];
    if (!env.dataStores.includes(dataStore)) {
      issues.push(
        issue(
          ['dataStore'],
          `must be one of the DataStores configured for ${spec.region}/${
            spec.environment
          }: ${env.dataStores.join(', ')}`,
        ),
      );
    }
  }

  const approved =
    spec.approvedExternalApiCidrs ?? config.approvedExternalApis.defaultCidrs;
  const seen = new Set<string>();
  approved.forEach((cidr, index) => {
    const problem = checkApprovedExternalCidr(cidr, config);
    if (problem) {
      issues.push(issue(['approvedExternalApiCidrs', index], problem));
    } else if (seen.has(cidr)) {
      issues.push(
        issue(['approvedExternalApiCidrs', index], `"${cidr}" is listed twice`),
      );
    }
    seen.add(cidr);
  });

  if (issues.length > 0) {
    return { success: false, issues };
  }
  return {
    success: true,
    spec: {
      displayName: spec.displayName,
      slug: spec.slug,
      region: spec.region,
      environment: spec.environment,
      dailyUsers: spec.dailyUsers,
      departments: spec.departments,
      kubernetesVersion,
      dataStore,
      sla: spec.sla,
      monthlyBudgetBrl: spec.monthlyBudgetBrl,
      ownerGroup: spec.ownerGroup,
      clusterGroup: spec.clusterGroup ?? spec.ownerGroup.split('/')[1],
      approvedExternalApiCidrs: approved,
    },
  };
}
