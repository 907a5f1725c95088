/*
 * Where the Kamaji CRDs are read from. One rule for every package that reads
 * them (the cluster simulator, the tests), the same as scripts/kamaji-crds.sh:
 *
 *   1. an explicit folder (a simulator option), else `KAMAJI_CRD_DIR`;
 *   2. `../shared/schemas/kamaji` beside the repository;
 *   3. `.kamaji-crds/` in the repository, filled by `bash scripts/kamaji-crds.sh`
 *      (the pinned Kamaji release's files, checked against pinned checksums).
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';

/**
 * The file names of the Kamaji CRDs.
 *
 * @public
 */
export const KAMAJI_CRD_FILES = {
  TenantControlPlane: 'kamaji.clastix.io_tenantcontrolplanes.yaml',
  DataStore: 'kamaji.clastix.io_datastores.yaml',
} as const;

/**
 * What to do when the CRDs are nowhere: the one message every reader gives.
 *
 * @public
 */
export const KAMAJI_CRDS_HOW_TO = `Run \`bash scripts/kamaji-crds.sh\` at the repository root (it downloads the pinned Kamaji release's CRDs into .kamaji-crds/ and checks their checksums), or set KAMAJI_CRD_DIR to a folder holding ${Object.values(
  KAMAJI_CRD_FILES,
).join(' and ')}.`;

/**
 * Options of {@link kamajiCrdDir}; the defaults are the process's.
 *
 * @public
 */
export interface KamajiCrdDirOptions {
  /** a folder that wins over everything (e.g. the simulator's `kamajiCrdDir`) */
  explicit?: string;
  /** the environment to read `KAMAJI_CRD_DIR` from (default `process.env`) */
  env?: Record<string, string | undefined>;
  /** the repository root (default: found above the working directory, else above this package) */
  repoRoot?: string;
}

function isWorkspaceRoot(dir: string): boolean {
  try {
    return Boolean(
      JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
        .workspaces,
    );
  } catch {
    return false;
  }
}

/** The nearest folder at or above `start` whose package.json declares workspaces. */
function findRepoRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (isWorkspaceRoot(dir)) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}

function holdsCrds(dir: string): boolean {
  return Object.values(KAMAJI_CRD_FILES).every(file =>
    fs.existsSync(path.join(dir, file)),
  );
}

/**
 * The folder holding the Kamaji CRDs: `explicit`, else `KAMAJI_CRD_DIR`, else
 * `../shared/schemas/kamaji` beside the repository, else the repository's
 * `.kamaji-crds/`. Throws a `NotFoundError` that says what to do when the
 * chosen folder lacks a CRD or none is found.
 *
 * @public
 */
export function kamajiCrdDir(options: KamajiCrdDirOptions = {}): string {
  const env = options.env ?? process.env;
  const chosen = options.explicit ?? env.KAMAJI_CRD_DIR;
  if (chosen) {
    const dir = path.resolve(chosen);
    if (!holdsCrds(dir)) {
      throw new NotFoundError(
        `The Kamaji CRDs are not in ${dir} (from ${
          options.explicit ? 'the kamajiCrdDir option' : 'KAMAJI_CRD_DIR'
        }). ${KAMAJI_CRDS_HOW_TO}`,
      );
    }
    return dir;
  }
  const root =
    options.repoRoot ??
    findRepoRoot(process.cwd()) ??
    findRepoRoot(resolvePackagePath('@prontuario/tenant-schema-validators')) ??
    process.cwd();
  const candidates = [
    path.resolve(root, '..', 'shared', 'schemas', 'kamaji'),
    path.resolve(root, '.kamaji-crds'),
  ];
  const found = candidates.find(holdsCrds);
  if (!found) {
    throw new NotFoundError(
      `The Kamaji CRDs were not found (looked in KAMAJI_CRD_DIR, ${candidates.join(
        ', ',
      )}). ${KAMAJI_CRDS_HOW_TO}`,
    );
  }
  return found;
}
