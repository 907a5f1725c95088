import { InputError } from '@backstage/errors';
import {
  InvalidTenantSpecError,
  readHospitalTenantsConfig,
} from '@prontuario/plugin-hospital-tenants-node';
import { specInput, testConfig } from '../__testUtils__/harness';
import { TenantInput, validateTenantInput } from './input';

const config = readHospitalTenantsConfig(testConfig());

function issuesOf(input: Record<string, unknown>) {
  try {
    validateTenantInput(input as TenantInput, config);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTenantSpecError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).name).toBe('InputError');
    return (error as InvalidTenantSpecError).issues;
  }
  throw new Error('the input was accepted');
}

describe('validateTenantInput', () => {
  it('accepts a valid input and returns the spec', () => {
    const spec = validateTenantInput(
      { ...specInput(), keepOnFailure: true } as TenantInput,
      config,
    );
    expect(spec.slug).toBe('hospital-nova-esperanca');
    expect(spec).not.toHaveProperty('keepOnFailure');
  });

  it("carries the action's own and the domain core's issues as structure, each naming its field", () => {
    const issues = issuesOf(
      specInput({
        slug: 'kube-x',
        displayName: '${{ parameters.x }}',
        departments: ['Clínica Geral', '!!python/object'],
        dailyUsers: 0,
        clusterGroup: 'someone-else',
      }),
    );
    const fields = issues.map(i => i.field);
    // the action's guards come first, then the domain core's rules
    expect(fields.slice(0, 4)).toEqual([
      'clusterGroup',
      'slug',
      'displayName',
      'departments[1]',
    ]);
    expect(fields).toContain('dailyUsers');
    for (const issue of issues) {
      expect(issue.message.startsWith(`${issue.field}: `)).toBe(true);
    }
  });

  it('lists the same issues in its message, one line each', () => {
    const input = specInput({ slug: 'admin', region: 'mars-1' });
    let error: InvalidTenantSpecError | undefined;
    try {
      validateTenantInput(input as unknown as TenantInput, config);
    } catch (e) {
      error = e as InvalidTenantSpecError;
    }
    expect(error?.message).toBe(
      `Invalid tenant spec:\n${error!.issues
        .map(i => `- ${i.message}`)
        .join('\n')}`,
    );
    expect(error!.issues.map(i => i.field)).toEqual(
      expect.arrayContaining(['slug', 'region']),
    );
  });
});
