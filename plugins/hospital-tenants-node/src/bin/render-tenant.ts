/*
 * `yarn render-tenant <spec-file> [--config <app-config.yaml>]`: prints every
 * manifest of both layers of a tenant as multi-document YAML.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'node:path';
import { runRenderTenant } from './renderTenantCli';

const packageDir = resolvePackagePath(
  '@prontuario/plugin-hospital-tenants-node',
);
const repoRoot =
  process.env.PROJECT_CWD ?? path.resolve(packageDir, '..', '..');

// Relative paths mean "from where the user typed the command": yarn reports
// that as INIT_CWD. When the root script forwards through `yarn workspace`,
// yarn resets INIT_CWD to this package's folder and the user's folder is
// lost; then paths are taken from the repository root.
const initCwd = process.env.INIT_CWD;
const cwds = [
  ...(initCwd && path.resolve(initCwd) !== packageDir ? [initCwd] : []),
  repoRoot,
];

runRenderTenant(process.argv.slice(2), {
  cwds,
  repoRoot,
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
}).then(code => {
  process.exitCode = code;
});
