import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, UserEntity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  createSignInResolverFactory,
  SignInInfo,
} from '@backstage/plugin-auth-node';
import { z } from 'zod/v3';

/** The name of the resolver in `auth.providers.oidc.<env>.signIn.resolvers`. */
export const ALLOWED_DOMAIN_RESOLVER = 'allowedDomainEmailMatchingUserEntity';

/**
 * What a refused person reads on the sign-in page. Never the address itself:
 * the message also reaches the audit log.
 */
export const REFUSALS = {
  noVerifiedEmail:
    'Sign-in refused: the identity provider did not supply a verified e-mail address.',
  domainNotAllowed:
    "Sign-in refused: your e-mail address's domain may not sign in to this portal.",
  noUser:
    'Sign-in refused: no portal user has your e-mail address; ask the platform team to add you.',
} as const;

type Refusal = keyof typeof REFUSALS;

class SignInRefusedError extends NotAllowedError {
  constructor(readonly reason: Refusal) {
    super(REFUSALS[reason]);
  }
}

const optionsSchema = z.object({
  /** E-mail domains that may sign in, e.g. `santamaria.example`. */
  allowedDomains: z
    .array(
      z
        .string()
        .min(1)
        .regex(/^[a-z0-9.-]+$/i, 'must be a bare domain like example.org'),
    )
    .min(1, 'must list at least one domain'),
});

function domainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  return at > 0 && at < email.length - 1
    ? email.slice(at + 1).toLowerCase()
    : undefined;
}

/**
 * The portal's only OIDC sign-in resolver: the (verified) e-mail must be in
 * one of the allowed domains and equal, as a whole address, to the
 * `spec.profile.email` of exactly one User entity. No plus-address or
 * local-part fallback. Every success and refusal is an audit event
 * (`sign-in`), with the user entity ref on success and the reason code on
 * refusal; never the address.
 */
export function createAllowedDomainResolverFactory(deps: {
  auditor: AuditorService;
  logger: LoggerService;
}) {
  return createSignInResolverFactory({
    optionsSchema,
    create(options) {
      const allowed = new Set(options.allowedDomains.map(d => d.toLowerCase()));
      return async (info: SignInInfo<unknown>, ctx) => {
        const event = await deps.auditor.createEvent({
          eventId: 'sign-in',
          severityLevel: 'medium',
          meta: { provider: 'oidc' },
        });
        try {
          const email = info.profile.email?.trim();
          if (!email) {
            throw new SignInRefusedError('noVerifiedEmail');
          }
          const domain = domainOf(email);
          if (!domain || !allowed.has(domain)) {
            throw new SignInRefusedError('domainNotAllowed');
          }
          let entity: UserEntity;
          try {
            entity = (
              await ctx.findCatalogUser({
                filter: { kind: 'User', 'spec.profile.email': email },
              })
            ).entity as UserEntity;
          } catch (error) {
            // none, or more than one: refuse either way
            throw new SignInRefusedError('noUser');
          }
          if (
            entity.spec?.profile?.email?.toLowerCase() !== email.toLowerCase()
          ) {
            throw new SignInRefusedError('noUser');
          }
          const userEntityRef = stringifyEntityRef(entity);
          const result = await ctx.signInWithCatalogUser({
            entityRef: userEntityRef,
          });
          await event.success({ meta: { userEntityRef } });
          return result;
        } catch (error) {
          const reason =
            error instanceof SignInRefusedError ? error.reason : 'error';
          await event.fail({
            error: error as Error,
            meta: { reason },
          });
          if (!(error instanceof SignInRefusedError)) {
            deps.logger.warn(`OIDC sign-in failed: ${(error as Error).name}`);
          }
          throw error;
        }
      };
    },
  });
}
