import { InputError } from '@backstage/errors';
import type {
  TenantSpec,
  TenantSpecIssue,
} from '@prontuario/plugin-hospital-tenants-common';

/**
 * One issue of a tenant spec: `field` is the field path (`slug`,
 * `departments[2]`, `ownerGroup`), and the message starts with it, as
 * `parseTenantSpec` writes its issues.
 *
 * @public
 */
export function tenantSpecIssue(
  field: string,
  problem: string,
): TenantSpecIssue {
  return { field, message: `${field}: ${problem}` };
}

/**
 * A tenant spec that fails validation: an `InputError` (HTTP 400, and its
 * `name` stays `InputError`) whose `issues` name each field and its problem.
 * The message lists the same issues, one line each, for people reading a
 * task log; code reads `issues`.
 *
 * @public
 */
export class InvalidTenantSpecError extends InputError {
  /** Every problem found, each naming its field; never empty. */
  readonly issues: readonly TenantSpecIssue[];

  constructor(issues: readonly TenantSpecIssue[]) {
    super(
      `Invalid tenant spec:\n${issues.map(i => `- ${i.message}`).join('\n')}`,
    );
    this.issues = [...issues];
  }
}

/**
 * A spec whose region, environment or DataStore is not configured: the one
 * error every plan builder throws for it (an `InputError`, like the
 * validation that should have caught it first).
 *
 * @public
 */
export function environmentNotConfiguredError(
  spec: Pick<TenantSpec, 'slug' | 'region' | 'environment'>,
): InputError {
  return new InputError(
    `Tenant spec ${spec.slug} names a region, environment or DataStore that is not configured; validate it with validateTenantSpec first`,
  );
}
