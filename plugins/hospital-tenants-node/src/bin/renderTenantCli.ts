import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseHospitalTenantsConfigOrThrow } from '../config/readHospitalTenantsConfig';
import { planTenant } from '../plan/buildTenantPlan';
import { renderPlanYaml } from '../plan/renderPlanYaml';

/** The example configuration used when no config file has a hospitalTenants block. */
export const EXAMPLE_CONFIG_PATH = resolvePackagePath(
  '@prontuario/plugin-hospital-tenants-node',
  'src/__fixtures__/app-config.hospital-tenants.yaml',
);

const USAGE =
  'Usage: yarn render-tenant <spec-file> [--config <app-config.yaml>]...';

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

function hospitalTenantsBlock(document: unknown): unknown {
  return document && typeof document === 'object'
    ? (document as Record<string, unknown>).hospitalTenants
    : undefined;
}

/**
 * Runs `render-tenant`: prints the plan of a spec file as multi-document
 * YAML on stdout. Returns the exit code; on any error nothing is printed on
 * stdout and the reason goes to stderr.
 */
export function runRenderTenant(args: string[], io: CliIo): number {
  const configFiles: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--config') {
      const value = args[++i];
      if (!value) {
        io.stderr(`--config needs a file\n${USAGE}\n`);
        return 2;
      }
      configFiles.push(resolveInput(value, io.cwds));
    } else if (args[i] === '--help' || args[i] === '-h') {
      io.stdout(`${USAGE}\n`);
      return 0;
    } else {
      positional.push(args[i]);
    }
  }
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
    let block: unknown;
    for (const file of candidates) {
      block = hospitalTenantsBlock(readYaml(file)) ?? block;
    }
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
      block = hospitalTenantsBlock(readYaml(EXAMPLE_CONFIG_PATH));
    }
    const config = parseHospitalTenantsConfigOrThrow(block);
    const plan = planTenant(readYaml(specPath), config);
    io.stdout(renderPlanYaml(plan));
    return 0;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 1;
  }
}
