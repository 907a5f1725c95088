/*
 * The people of the local identity provider: the users of the example org
 * (`examples/org.yaml`, the same file the local catalog reads) plus a few
 * test-only accounts that the portal must refuse.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/**
 * The annotation on a Group entity naming the group the hospital's tenant
 * API server knows (its RoleBindings use it). The `groups` claim carries it;
 * a group without it is carried by its entity name.
 *
 * @public
 */
export const CLUSTER_GROUP_ANNOTATION = 'hospital-tenants.io/cluster-group';

/** One account of the local identity provider. @public */
export interface IdentityPerson {
  /** The login shown on the development sign-in page; also the `sub` claim. */
  login: string;
  name: string;
  email: string;
  emailVerified: boolean;
  /** The `groups` claim. */
  groups: string[];
  /** Why a test-only account exists; absent for the org's people. */
  testOnly?: string;
}

const entitySchema = z.object({
  kind: z.string(),
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .looseObject({
      members: z.array(z.string()).optional(),
      memberOf: z.array(z.string()).optional(),
      profile: z
        .object({
          displayName: z.string().optional(),
          email: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});

/** `group:default/x`, `default/x` or `x` to `x` (the default namespace only). */
function shortName(ref: string): string {
  return ref.replace(/^[a-z]+:/i, '').replace(/^default\//, '');
}

/**
 * The users of an org file (User and Group entities in YAML), each with the
 * `groups` claim: for every group they belong to (`spec.memberOf` of the user
 * or `spec.members` of the group), the group's
 * `hospital-tenants.io/cluster-group` annotation, else its name. Users
 * without an e-mail are left out: the portal signs people in by e-mail.
 *
 * @public
 */
export function loadOrgPeople(orgFile: string): IdentityPerson[] {
  const text = fs.readFileSync(orgFile, 'utf8');
  const entities = parseAllDocuments(text)
    .map(doc => doc.toJS())
    .filter(Boolean)
    .map((raw, i) => {
      const parsed = entitySchema.safeParse(raw);
      if (!parsed.success) {
        throw new Error(
          `${orgFile}: document ${i + 1} is not a catalog entity: ${
            parsed.error.issues[0]?.message
          }`,
        );
      }
      return parsed.data;
    });
  const groups = entities.filter(e => e.kind === 'Group');
  const clusterGroup = new Map(
    groups.map(g => [
      g.metadata.name,
      g.metadata.annotations?.[CLUSTER_GROUP_ANNOTATION] ?? g.metadata.name,
    ]),
  );
  return entities
    .filter(e => e.kind === 'User' && e.spec?.profile?.email)
    .map(user => {
      const name = user.metadata.name;
      const memberOf = new Set(
        (user.spec?.memberOf ?? [])
          .map(shortName)
          .filter(g => clusterGroup.has(g)),
      );
      for (const g of groups) {
        if ((g.spec?.members ?? []).map(shortName).includes(name)) {
          memberOf.add(g.metadata.name);
        }
      }
      return {
        login: name,
        name: user.spec?.profile?.displayName ?? name,
        email: user.spec!.profile!.email!,
        emailVerified: true,
        groups: [...memberOf].sort().map(g => clusterGroup.get(g)!),
      };
    });
}

/**
 * Accounts that exist only so tests can see the portal refuse them. Their
 * logins start with `test.`; none of them is in the catalog.
 *
 * @public
 */
export const REFUSED_TEST_ACCOUNTS: IdentityPerson[] = [
  {
    login: 'test.unverified',
    name: 'Unverified e-mail (test only)',
    // A real person's address, but not verified: must not sign in as her.
    email: 'sofia@santamaria.example',
    emailVerified: false,
    groups: ['hospital:hospital-santa-maria'],
    testOnly: 'the e-mail address is not verified',
  },
  {
    login: 'test.foreign',
    name: 'Foreign domain (test only)',
    email: 'someone@foreign.example',
    emailVerified: true,
    groups: [],
    testOnly: 'the e-mail domain is not in the allow-list',
  },
  {
    login: 'test.unknown',
    name: 'Unknown person (test only)',
    email: 'nobody@santamaria.example',
    emailVerified: true,
    groups: ['hospital:hospital-santa-maria'],
    testOnly: 'no user in the catalog has this e-mail',
  },
  {
    login: 'test.plus-address',
    name: 'Plus address (test only)',
    email: 'sofia+admin@santamaria.example',
    emailVerified: true,
    groups: ['hospital:hospital-santa-maria'],
    testOnly: 'matched exactly: no fallback to sofia@santamaria.example',
  },
];

/** The example org's people and the refused test accounts. @public */
export function loadExamplePeople(repoRoot: string): IdentityPerson[] {
  return [
    ...loadOrgPeople(path.join(repoRoot, 'examples', 'org.yaml')),
    ...REFUSED_TEST_ACCOUNTS,
  ];
}
