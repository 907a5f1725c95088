import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * "The entity is a member of one of these groups": a User whose `memberOf`
 * relations name one of the given group refs. The portal's policy uses it
 * so that a hospital's users see their own hospital's members (and the
 * platform team) but never another hospital's staff.
 *
 * The catalog's own rules cannot express this: `IS_ENTITY_OWNER` reads only
 * `ownedBy`, and `spec.memberOf` holds refs in whatever short form the org
 * file used, while the `memberOf` relation always holds the full,
 * lower-cased ref.
 */
export const isMemberOf = createPermissionRule({
  name: 'IS_MEMBER_OF',
  description:
    'Allow entities that are members of one of the given groups (their memberOf relations)',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    groups: z
      .array(z.string())
      .describe('Group entity refs, e.g. group:default/hospital-santa-maria'),
  }),
  apply: (entity, { groups }) => {
    const wanted = new Set(groups.map(g => g.toLocaleLowerCase('en-US')));
    return (entity.relations ?? []).some(
      relation =>
        relation.type === RELATION_MEMBER_OF &&
        wanted.has(relation.targetRef.toLocaleLowerCase('en-US')),
    );
  },
  toQuery: ({ groups }) => ({
    key: `relations.${RELATION_MEMBER_OF}`,
    values: groups.map(g => g.toLocaleLowerCase('en-US')),
  }),
});
