import {
  checkApprovedExternalCidr,
  HospitalTenantsConfig,
  MAX_SLUG_LENGTH,
  TenantSpecInput,
} from '@prontuario/plugin-hospital-tenants-common';

/** A small seeded PRNG (mulberry32), so failures reproduce. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) =>
    min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  return { next, int, pick };
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

const SLUG_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-';

function slugOfLength(rng: ReturnType<typeof seededRandom>, length: number) {
  let slug = String.fromCharCode(97 + rng.int(0, 25));
  while (slug.length < length) {
    slug += rng.pick([...SLUG_CHARS]);
  }
  if (length > 1 && !/[a-z0-9]$/.test(slug)) {
    slug = `${slug.slice(0, -1)}x`;
  }
  return slug;
}

function departments(rng: ReturnType<typeof seededRandom>, count: number) {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const style = rng.int(0, 3);
    if (style === 0) {
      // at the 63-character limit, Unicode, still unique by its index
      const base = `${rng.pick(WORDS)} ${i} `;
      names.push(`${base}${'ç'.repeat(63 - base.length)}`);
    } else {
      names.push(`${rng.pick(WORDS)} ${rng.pick(WORDS)} ${i}`);
    }
  }
  return names;
}

function publicCidr(
  rng: ReturnType<typeof seededRandom>,
  config: HospitalTenantsConfig,
): string {
  for (;;) {
    const prefix = rng.int(16, 32);
    const address = rng.int(1, 2 ** 32 - 1);
    const size = 2 ** (32 - prefix);
    const base = Math.floor(address / size) * size;
    const cidr = `${[24, 16, 8, 0]
      .map(s => (base >>> s) & 255)
      .join('.')}/${prefix}`;
    if (!checkApprovedExternalCidr(cidr, config)) {
      return cidr;
    }
  }
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
  const rng = seededRandom(seed);
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
    let slugLength = rng.int(2, MAX_SLUG_LENGTH);
    if (i % 5 === 0) slugLength = MAX_SLUG_LENGTH;
    else if (i % 7 === 0) slugLength = 1;
    let dailyUsers = Math.round(Math.exp(rng.next() * Math.log(100000)));
    if (i % 11 === 0) dailyUsers = 1;
    if (i % 13 === 0) dailyUsers = 100000;
    let departmentCount = rng.int(1, 50);
    if (i % 9 === 0) departmentCount = 50;
    else if (i % 10 === 0) departmentCount = 1;
    specs.push({
      displayName: `Hospital ${rng.pick(WORDS)} ${rng.pick(WORDS)} ${i}`,
      slug: slugOfLength(rng, slugLength),
      region: place.region,
      environment: place.environment,
      dailyUsers: Math.max(1, Math.min(100000, dailyUsers)),
      departments: departments(rng, departmentCount),
      dataStore: rng.pick(place.dataStores),
      monthlyBudgetBrl: rng.int(1000, 500000),
      ownerGroup: `group:default/owner-${i}`,
      ...(rng.next() < 0.5
        ? {
            approvedExternalApiCidrs: Array.from(
              { length: rng.int(0, 4) },
              () => publicCidr(rng, config),
            ).filter((c, idx, all) => all.indexOf(c) === idx),
          }
        : {}),
    });
  }
  return specs;
}
