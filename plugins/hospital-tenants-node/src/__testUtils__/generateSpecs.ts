import {
  checkApprovedExternalCidr,
  HospitalTenantsConfig,
  MAX_SLUG_LENGTH,
  TenantSpecInput,
} from '@prontuario/plugin-hospital-tenants-common';
import fc from 'fast-check';

/**
 * Draws one value of a fast-check arbitrary at a time, reproducibly (the
 * n-th draw uses `seed + n`) and without fast-check's bias towards small
 * values, so failures reproduce.
 */
export function seededDraw(seed: number) {
  let n = 0;
  return <T>(arbitrary: fc.Arbitrary<T>): T =>
    fc.sample(fc.noBias(arbitrary), { numRuns: 1, seed: seed + n++ })[0];
}

const WORDS = [
  'São',
  'João',
  'Coração',
  'Emergência',
  'Pediatria',
  'Obstetrícia',
  'UTI',
  'Ortopedia',
  'Radiologia',
  'Diagnóstico',
  'Clínica',
  'Cirurgia',
  'Neonatal',
  'Ünïcödé',
  'Ærø',
  'Straße',
  'Niño',
  'Oncologia',
  'Hemodiálise',
  'Queimados',
  'Psiquiatria',
  'Geriatria',
  'Laboratório',
  'Farmácia',
  'Nutrição',
  'Infectologia',
];

const SLUG_CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789-'];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
const word = fc.constantFrom(...WORDS);

/** A slug of exactly `length` characters: a letter first, never a trailing `-`. */
function slugOfLength(length: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...LETTERS),
      fc.array(fc.constantFrom(...SLUG_CHARS), {
        minLength: length - 1,
        maxLength: length - 1,
      }),
    )
    .map(([first, rest]) => {
      const slug = first + rest.join('');
      return length > 1 && !/[a-z0-9]$/.test(slug)
        ? `${slug.slice(0, -1)}x`
        : slug;
    });
}

/** `count` unique department names; about one in four at the 63-character limit. */
function departments(count: number): fc.Arbitrary<string[]> {
  return fc
    .array(fc.tuple(fc.integer({ min: 0, max: 3 }), word, word), {
      minLength: count,
      maxLength: count,
    })
    .map(names =>
      names.map(([style, a, b], i) => {
        if (style === 0) {
          // at the 63-character limit, Unicode, still unique by its index
          const base = `${a} ${i} `;
          return `${base}${'ç'.repeat(63 - base.length)}`;
        }
        return `${a} ${b} ${i}`;
      }),
    );
}

/** A public IPv4 CIDR (/16 to /32) the config accepts as an approved external API. */
function publicCidr(config: HospitalTenantsConfig): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.integer({ min: 16, max: 32 }),
      fc.integer({ min: 1, max: 2 ** 32 - 1 }),
    )
    .map(([prefix, address]) => {
      const size = 2 ** (32 - prefix);
      const base = Math.floor(address / size) * size;
      return `${[24, 16, 8, 0]
        .map(shift => (base >>> shift) & 255)
        .join('.')}/${prefix}`;
    })
    .filter(cidr => !checkApprovedExternalCidr(cidr, config));
}

/**
 * Valid tenant specs spread over the space the issue names: slugs from 1 to
 * the maximum length, Unicode display and department names (some at 63
 * characters), 1 to 100 000 users (log-uniform, with the bounds), 1 to 50
 * departments, every region, environment and DataStore of the config.
 */
export function generateSpecs(
  config: HospitalTenantsConfig,
  count: number,
  seed = 20261127,
): TenantSpecInput[] {
  const draw = seededDraw(seed);
  const places = Object.entries(config.regions).flatMap(([region, r]) =>
    Object.entries(r.environments).map(([environment, e]) => ({
      region,
      environment,
      dataStores: e.dataStores,
    })),
  );
  const specs: TenantSpecInput[] = [];
  for (let i = 0; i < count; i++) {
    const place = places[i % places.length];
    let slugLength = draw(fc.integer({ min: 2, max: MAX_SLUG_LENGTH }));
    if (i % 5 === 0) slugLength = MAX_SLUG_LENGTH;
    else if (i % 7 === 0) slugLength = 1;
    let dailyUsers = Math.round(
      Math.exp(
        draw(fc.double({ min: 0, max: 1, noNaN: true })) * Math.log(100000),
      ),
    );
    if (i % 11 === 0) dailyUsers = 1;
    if (i % 13 === 0) dailyUsers = 100000;
    let departmentCount = draw(fc.integer({ min: 1, max: 50 }));
    if (i % 9 === 0) departmentCount = 50;
    else if (i % 10 === 0) departmentCount = 1;
    const [a, b] = draw(fc.tuple(word, word));
    const cidrs = draw(
      fc.option(
        fc.uniqueArray(publicCidr(config), { minLength: 0, maxLength: 4 }),
        { freq: 1, nil: undefined },
      ),
    );
    specs.push({
      displayName: `Hospital ${a} ${b} ${i}`,
      slug: draw(slugOfLength(slugLength)),
      region: place.region,
      environment: place.environment,
      dailyUsers: Math.max(1, Math.min(100000, dailyUsers)),
      departments: draw(departments(departmentCount)),
      dataStore: draw(fc.constantFrom(...place.dataStores)),
      monthlyBudgetBrl: draw(fc.integer({ min: 1000, max: 500000 })),
      ownerGroup: `group:default/owner-${i}`,
      ...(cidrs ? { approvedExternalApiCidrs: cidrs } : {}),
    });
  }
  return specs;
}
