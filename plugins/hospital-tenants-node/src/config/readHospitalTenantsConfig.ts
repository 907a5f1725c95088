import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  HospitalTenantsConfig,
  parseHospitalTenantsConfig,
} from '@prontuario/plugin-hospital-tenants-common';

/**
 * Reads and validates the `hospitalTenants` configuration block that the
 * plan builders need. Throws an InputError listing every problem with its
 * configuration path.
 *
 * @public
 */
export function readHospitalTenantsConfig(
  config: Config,
): HospitalTenantsConfig {
  if (!config.has('hospitalTenants')) {
    throw new InputError(
      'hospitalTenants: missing configuration; see the README of @prontuario/plugin-hospital-tenants-node',
    );
  }
  return parseHospitalTenantsConfigOrThrow(config.get('hospitalTenants'));
}

/**
 * Validates a plain `hospitalTenants` object (e.g. read from a YAML file).
 *
 * @public
 */
export function parseHospitalTenantsConfigOrThrow(
  value: unknown,
): HospitalTenantsConfig {
  const result = parseHospitalTenantsConfig(value);
  if (!result.success) {
    throw new InputError(
      `Invalid hospitalTenants configuration:\n${result.errors.join('\n')}`,
    );
  }
  return result.data;
}
