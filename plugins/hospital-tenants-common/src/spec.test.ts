import { parseHospitalTenantsConfig, HospitalTenantsConfig } from './config';
import {
  parseTenantSpec,
  TenantSpecInput,
  TenantSpecIssue,
  TenantSpecResult,
} from './spec';
import { exampleConfigInput } from './__fixtures__/config';

function config(): HospitalTenantsConfig {
  const result = parseHospitalTenantsConfig(exampleConfigInput);
  if (!result.success) {
    throw new Error(result.errors.join('\n'));
  }
  return result.data;
}

function issuesOf(result: TenantSpecResult): TenantSpecIssue[] {
  return result.success ? [] : result.issues;
}

const valid: TenantSpecInput = {
  displayName: 'Hospital São João',
  slug: 'hospital-sao-joao',
  region: 'southamerica-east1',
  environment: 'production',
  dailyUsers: 150,
  departments: ['Emergência', 'UTI Neonatal', 'Radiologia'],
  monthlyBudgetBrl: 8000,
  ownerGroup: 'group:default/hospital-sao-joao',
};

describe('parseTenantSpec', () => {
  it('accepts a valid Unicode spec and resolves the defaults', () => {
    const result = parseTenantSpec(valid, config());
    expect(result).toEqual({
      success: true,
      spec: expect.objectContaining({
        displayName: 'Hospital São João',
        kubernetesVersion: 'v1.35.7',
        dataStore: 'postgresql-gold',
        sla: { p95Seconds: 2, availabilityPercent: 99.9, throughputRps: 1000 },
        clusterGroup: 'hospital-sao-joao',
        approvedExternalApiCidrs: ['200.160.0.0/20'],
      }),
    });
  });

  const cases: Array<
    [string, Partial<Record<string, unknown>>, string, RegExp]
  > = [
    [
      'empty display name',
      { displayName: '  ' },
      'displayName',
      /must not be empty/,
    ],
    ['slug with upper case', { slug: 'Hospital' }, 'slug', /DNS-1035/],
    [
      'slug starting with a digit',
      { slug: '9hospital' },
      'slug',
      /starting with a letter/,
    ],
    [
      'slug too long',
      { slug: `h${'a'.repeat(56)}` },
      'slug',
      /at most 56 characters/,
    ],
    [
      'unknown region',
      { region: 'europe-west1' },
      'region',
      /configured regions: southamerica-east1/,
    ],
    [
      'unknown environment',
      { environment: 'dev' },
      'environment',
      /production, staging/,
    ],
    ['zero users', { dailyUsers: 0 }, 'dailyUsers', /at least 1/],
    ['fractional users', { dailyUsers: 1.5 }, 'dailyUsers', /whole number/],
    ['too many users', { dailyUsers: 100001 }, 'dailyUsers', /at most 100000/],
    [
      'no departments',
      { departments: [] },
      'departments',
      /at least one department/,
    ],
    [
      '51 departments',
      { departments: Array.from({ length: 51 }, (_, i) => `D${i}`) },
      'departments',
      /at most 50/,
    ],
    [
      'duplicate department',
      { departments: ['UTI', 'uti'] },
      'departments[1]',
      /same as departments\[0\]/,
    ],
    [
      'punctuation-only department',
      { departments: ['---'] },
      'departments[0]',
      /letter or digit/,
    ],
    [
      'reserved department',
      { departments: ['Kube System'] },
      'departments[0]',
      /reserved namespace/,
    ],
    [
      'platform department',
      { departments: ['Monitoring'] },
      'departments[0]',
      /platform services/,
    ],
    [
      'department with a comma',
      { departments: ['A, B'] },
      'departments[0]',
      /comma/,
    ],
    [
      'unsupported Kubernetes version',
      { kubernetesVersion: 'v1.28.0' },
      'kubernetesVersion',
      /supported versions: v1.34.9, v1.35.7/,
    ],
    [
      'DataStore of another environment',
      { environment: 'staging', dataStore: 'postgresql-gold' },
      'dataStore',
      /etcd-shared/,
    ],
    [
      'SLA availability of 100 %',
      { sla: { availabilityPercent: 100 } },
      'sla.availabilityPercent',
      /at most 99.999/,
    ],
    ['negative p95', { sla: { p95Seconds: -1 } }, 'sla.p95Seconds', /positive/],
    [
      'zero budget',
      { monthlyBudgetBrl: 0 },
      'monthlyBudgetBrl',
      /positive amount in BRL/,
    ],
    [
      'owner that is a user',
      { ownerGroup: 'user:default/ana' },
      'ownerGroup',
      /group entity ref/,
    ],
    [
      'system cluster group',
      { clusterGroup: 'system:masters' },
      'clusterGroup',
      /system:/,
    ],
    [
      'private approved CIDR',
      { approvedExternalApiCidrs: ['10.20.0.0/16'] },
      'approvedExternalApiCidrs[0]',
      /private or reserved range 10.0.0.0\/8/,
    ],
    [
      'approved CIDR covering everything',
      { approvedExternalApiCidrs: ['0.0.0.0/0'] },
      'approvedExternalApiCidrs[0]',
      /too wide: an approved external API range may be at most a \/16/,
    ],
    [
      'a huge public approved CIDR',
      { approvedExternalApiCidrs: ['32.0.0.0/3'] },
      'approvedExternalApiCidrs[0]',
      /"32.0.0.0\/3" is too wide.*65,536 addresses/,
    ],
    [
      'a public approved CIDR one bit too wide',
      { approvedExternalApiCidrs: ['200.160.0.0/15'] },
      'approvedExternalApiCidrs[0]',
      /too wide/,
    ],
    [
      'a NEL (U+0085) in the name',
      { displayName: 'Hospital\u0085# kind: Secret' },
      'displayName',
      /control characters/,
    ],
    [
      'a LINE SEPARATOR (U+2028) in the name',
      { displayName: 'Hospital\u2028kind: Secret' },
      'displayName',
      /control characters/,
    ],
    [
      'a PARAGRAPH SEPARATOR (U+2029) in a department',
      { departments: ['UTI\u2029kind: Secret'] },
      'departments[0]',
      /control characters/,
    ],
    [
      'malformed approved CIDR',
      { approvedExternalApiCidrs: ['203.0.113.7/24'] },
      'approvedExternalApiCidrs[0]',
      /network address/,
    ],
    ['unknown field', { replicas: 3 }, 'spec', /unknown field\(s\) replicas/],
  ];

  it.each(cases)(
    'rejects %s, naming the field',
    (_name, patch, field, rule) => {
      const input = { ...valid, ...patch };
      if (patch.sla) {
        input.sla = patch.sla as TenantSpecInput['sla'];
      }
      const result = parseTenantSpec(input, config());
      expect(result.success).toBe(false);
      const match = issuesOf(result).find(i => i.field === field);
      expect(match?.message.startsWith(`${field}: `)).toBe(true);
      expect(match?.message).toMatch(rule);
    },
  );

  it('rejects an approved CIDR overlapping the platform ranges', () => {
    const cfg = config();
    cfg.network.platformCidrs.push('198.51.100.0/24');
    const result = parseTenantSpec(
      { ...valid, approvedExternalApiCidrs: ['198.51.100.128/25'] },
      cfg,
    );
    expect(result).toEqual({
      success: false,
      issues: [
        expect.objectContaining({
          field: 'approvedExternalApiCidrs[0]',
          message: expect.stringMatching(/platform range 198.51.100.0\/24/),
        }),
      ],
    });
  });

  it('rejects something that is not an object', () => {
    const result = parseTenantSpec('nope', config());
    expect(result.success).toBe(false);
  });
});

describe('parseHospitalTenantsConfig', () => {
  it('names the config path of a broken value', () => {
    const broken = JSON.parse(JSON.stringify(exampleConfigInput));
    broken.regions['southamerica-east1'].environments.production.workerCidrs = [
      '10.1.0.0/33',
    ];
    broken.regions['southamerica-east1'].environments.staging.dataStores = [
      'nope',
    ];
    broken.network.management.portalNamespace = 'tenant-portal';
    const result = parseHospitalTenantsConfig(broken);
    expect(result).toEqual({
      success: false,
      errors: expect.arrayContaining([
        expect.stringMatching(
          /^hospitalTenants\.regions\.southamerica-east1\.environments\.production\.workerCidrs\[0\]: must be an IPv4 CIDR/,
        ),
      ]),
    });
    const second = JSON.parse(JSON.stringify(exampleConfigInput));
    second.regions['southamerica-east1'].environments.staging.dataStores = [
      'nope',
    ];
    second.network.management.portalNamespace = 'tenant-portal';
    expect(parseHospitalTenantsConfig(second)).toEqual({
      success: false,
      errors: [
        'hospitalTenants.regions.southamerica-east1.environments.staging.dataStores[0]: names DataStore "nope", which is not configured under dataStores',
        'hospitalTenants.network.management.portalNamespace: must not start with "tenant-" (the prefix of tenant namespaces)',
      ],
    });
  });
});
