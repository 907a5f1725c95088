import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  HospitalTenantsConfig,
  parseHospitalTenantsConfig,
} from '@prontuario/plugin-hospital-tenants-common';

export const EXAMPLES_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'examples',
  'tenants',
);

export const REFERENCE_SPEC_FILES = [
  'hospital-sao-joao.yaml',
  'real-hospital-portugues.yaml',
  'hospital-santa-maria.yaml',
];

export function readYamlFile(file: string): any {
  return parseYaml(fs.readFileSync(file, 'utf8'));
}

export function loadExampleConfig(): HospitalTenantsConfig {
  const raw = readYamlFile(
    path.resolve(
      __dirname,
      '..',
      '__fixtures__',
      'app-config.hospital-tenants.yaml',
    ),
  ).hospitalTenants;
  const result = parseHospitalTenantsConfig(raw);
  if (!result.success) {
    throw new Error(result.errors.join('\n'));
  }
  return result.data;
}

export function loadReferenceSpec(file: string): unknown {
  return readYamlFile(path.join(EXAMPLES_DIR, file));
}

export function dataStoreDrivers(config: HospitalTenantsConfig) {
  return Object.fromEntries(
    Object.entries(config.dataStores).map(([name, ds]) => [name, ds.driver]),
  );
}
