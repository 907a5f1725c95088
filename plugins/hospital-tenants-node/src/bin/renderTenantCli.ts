import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigSources } from '@backstage/config-loader';
import { parse as parseYaml } from 'yaml';
import { parseHospitalTenantsConfigOrThrow } from '../config/readHospitalTenantsConfig';
import { validateTenantSpec } from '../plan/buildTenantPlan';
import {
  clusterGroupOfOwner,
  groupsFromCatalogYaml,
  OwnerGroupEntity,
} from '../plan/clusterGroup';
import { planTenantProvisioning } from '../plan/planTenantProvisioning';
import { renderPlanYaml } from '../plan/renderPlanYaml';

/** The example configuration used when no config file has a hospitalTenants block. */
export const EXAMPLE_CONFIG_PATH = resolvePackagePath(
  '@prontuario/plugin-hospital-tenants-node',
  'src/__fixtures__/app-config.hospital-tenants.yaml',
);

const USAGE =
  'Usage: yarn render-tenant <spec-file> [--config <app-config.yaml>]... [--org <catalog.yaml>]...';

/** The org file read when no --org is given (the owner group's cluster group). */
export const DEFAULT_ORG_FILE = 'examples/org.yaml';

/** The Group entities of catalog files, by lower-cased entity ref. */
function readGroups(files: string[]): Map<string, OwnerGroupEntity> {
  const groups = new Map<string, OwnerGroupEntity>();
  for (const file of files) {
    let found: Map<string, OwnerGroupEntity>;
    try {
      found = groupsFromCatalogYaml(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
    }
    for (const [ref, group] of found) groups.set(ref, group);
  }
  return groups;
}

export interface CliIo {
  /** Folders relative paths are resolved against, in order of preference. */
  cwds: string[];
  repoRoot: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The first existing resolution of a path, else its resolution against the first folder. */
function resolveInput(file: string, cwds: string[]): string {
  const resolved = cwds.map(cwd => path.resolve(cwd, file));
  return resolved.find(candidate => fs.existsSync(candidate)) ?? resolved[0];
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * The `hospitalTenants` block of app-config files, read the way the backend
 * reads them (`@backstage/config-loader`: later files override earlier ones,
 * `$include`, `$file` and `${ENV}` substitutions), or undefined.
 */
async function readHospitalTenantsBlock(
  files: string[],
  rootDir: string,
): Promise<unknown> {
  if (files.length === 0) return undefined;
  const config = await ConfigSources.toConfig(
    ConfigSources.defaultForTargets({
      rootDir,
      targets: files.map(target => ({ type: 'path', target })),
      watch: false,
    }),
  );
  try {
    return config.getOptional('hospitalTenants');
  } finally {
    config.close();
  }
}

/**
 * Runs `render-tenant`: prints the plan of a spec file as multi-document
 * YAML on stdout. Resolves to the exit code; on any error nothing is printed on
 * stdout and the reason goes to stderr.
 */
export async function runRenderTenant(
  args: string[],
  io: CliIo,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        config: { type: 'string', multiple: true, default: [] },
        org: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const positional = parsed.positionals;
  const configFiles = parsed.values.config.map(f => resolveInput(f, io.cwds));
  const orgFiles = parsed.values.org.map(f => resolveInput(f, io.cwds));
  if (positional.length !== 1) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  try {
    const specPath = resolveInput(positional[0], io.cwds);
    if (!fs.existsSync(specPath)) {
      throw new Error(
        `Spec file ${positional[0]} not found (looked in ${io.cwds.join(
          ', ',
        )})`,
      );
    }
    const candidates =
      configFiles.length > 0
        ? configFiles
        : [path.join(io.repoRoot, 'app-config.yaml')].filter(f =>
            fs.existsSync(f),
          );
    let block = await readHospitalTenantsBlock(candidates, io.repoRoot);
    if (block === undefined) {
      if (configFiles.length > 0) {
        throw new Error(
          `No hospitalTenants block in ${configFiles.join(', ')}`,
        );
      }
      io.stderr(
        `note: no hospitalTenants block in app-config.yaml; using the example configuration ${path.relative(
          io.repoRoot,
          EXAMPLE_CONFIG_PATH,
        )}\n`,
      );
      block = await readHospitalTenantsBlock(
        [EXAMPLE_CONFIG_PATH],
        io.repoRoot,
      );
    }
    const config = parseHospitalTenantsConfigOrThrow(block);
    const rawSpec = readYaml(specPath);
    const spec = validateTenantSpec(rawSpec, config);
    if (
      rawSpec &&
      typeof rawSpec === 'object' &&
      'clusterGroup' in (rawSpec as object)
    ) {
      io.stderr(
        `note: the spec sets clusterGroup; the provision action ignores it and reads the owner group's hospital-tenants.io/cluster-group annotation\n`,
      );
    } else {
      const orgs =
        orgFiles.length > 0
          ? orgFiles
          : [path.join(io.repoRoot, DEFAULT_ORG_FILE)].filter(f =>
              fs.existsSync(f),
            );
      const group = readGroups(orgs).get(
        spec.ownerGroup.toLocaleLowerCase('en-US'),
      );
      if (group) {
        spec.clusterGroup = clusterGroupOfOwner(spec.ownerGroup, group);
      } else {
        io.stderr(
          `note: ${spec.ownerGroup} is not in ${
            orgs.length > 0 ? orgs.join(', ') : 'any org file (use --org)'
          }; the tenant's RoleBindings name the cluster group "${
            spec.clusterGroup
          }", while the provision action reads it from the group's hospital-tenants.io/cluster-group annotation\n`,
        );
      }
    }
    const plan = planTenantProvisioning(spec, config, {
      provisionerServiceAccount: config.provisioning?.provisionerServiceAccount,
      managementServiceAccountIssuer:
        config.provisioning?.managementServiceAccountIssuer,
    });
    io.stdout(renderPlanYaml(plan));
    return 0;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 1;
  }
}
