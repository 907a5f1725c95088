import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { EXAMPLES_DIR, REFERENCE_SPEC_FILES } from '../__testUtils__/fixtures';
import { parseRunScopedGrantHeader } from '../plan/renderPlanYaml';
import { EXAMPLE_CONFIG_PATH, runRenderTenant } from './renderTenantCli';

const ORG_FILE = path.join(path.dirname(EXAMPLES_DIR), 'org.yaml');

async function run(args: string[], cwds = [path.dirname(EXAMPLES_DIR)]) {
  let stdout = '';
  let stderr = '';
  const code = await runRenderTenant(args, {
    cwds,
    repoRoot: os.tmpdir(),
    stdout: t => {
      stdout += t;
    },
    stderr: t => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe('render-tenant', () => {
  it.each(REFERENCE_SPEC_FILES)('prints the whole plan of %s', async file => {
    const { code, stdout, stderr } = await run([
      `tenants/${file}`,
      '--config',
      EXAMPLE_CONFIG_PATH,
      '--org',
      ORG_FILE,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const documents = parseAllDocuments(stdout).filter(
      d => d.contents !== null,
    );
    const objects = documents.map(d => d.toJS());
    expect(objects.map(o => o.kind)).toEqual(
      expect.arrayContaining([
        'Namespace',
        'ResourceQuota',
        'LimitRange',
        'NetworkPolicy',
        'TenantControlPlane',
        'Role',
        'RoleBinding',
      ]),
    );
    const blocks = stdout.split(/^---$/m).slice(1);
    expect(blocks).toHaveLength(objects.length);
    for (const [i, block] of blocks.entries()) {
      const target = /^# target: (management-cluster|tenant-cluster)$/m.exec(
        block,
      )?.[1];
      expect(target).toBeDefined();
      expect(
        objects[i].metadata.annotations['hospital-tenants.io/target-cluster'],
      ).toBe(target);
    }
  });

  it('lists the run-scoped grant in the header, apart from the documents, and takes the cluster group from the org', async () => {
    const { code, stdout } = await run([
      'tenants/hospital-sao-joao.yaml',
      '--config',
      EXAMPLE_CONFIG_PATH,
      '--org',
      ORG_FILE,
    ]);
    expect(code).toBe(0);
    const grant = parseRunScopedGrantHeader(stdout);
    expect(
      grant.map(g => [g.target, g.object.kind, g.object.metadata.namespace]),
    ).toEqual([
      ['management-cluster', 'Role', 'tenant-hospital-sao-joao'],
      ['management-cluster', 'RoleBinding', 'tenant-hospital-sao-joao'],
    ]);
    for (const { object } of grant) {
      expect(object.metadata.labels).toMatchObject({
        'hospital-tenants.io/tenant': 'hospital-sao-joao',
      });
    }
    const documents = parseAllDocuments(stdout)
      .map(d => d.toJS())
      .filter(Boolean);
    expect(
      documents.filter(
        o => o.metadata.name === 'hospital-tenants-provisioner-kubeconfig',
      ),
    ).toEqual([]);
    const bindings = documents.filter(
      o =>
        o.kind === 'RoleBinding' &&
        o.metadata.annotations['hospital-tenants.io/target-cluster'] ===
          'tenant-cluster',
    );
    expect(bindings.length).toBeGreaterThan(0);
    for (const b of bindings) {
      expect(b.subjects[0].name).toBe('oidc:hospital:hospital-sao-joao');
    }
  });

  it('says so when the owner group is in no org file', async () => {
    const { code, stderr } = await run([
      'tenants/hospital-sao-joao.yaml',
      '--config',
      EXAMPLE_CONFIG_PATH,
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /group:default\/hospital-sao-joao is not in any org file/,
    );
  });

  it('falls back to the example configuration with a note', async () => {
    const { code, stderr } = await run([`tenants/${REFERENCE_SPEC_FILES[0]}`]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/using the example configuration/);
  });

  it('prints nothing and names the field for an invalid spec', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-tenant-'));
    fs.writeFileSync(
      path.join(dir, 'bad.yaml'),
      fs
        .readFileSync(path.join(EXAMPLES_DIR, 'hospital-sao-joao.yaml'), 'utf8')
        .replace('dailyUsers: 150', 'dailyUsers: 0')
        .replace('slug: hospital-sao-joao', 'slug: Hospital_São_João'),
    );
    const { code, stdout, stderr } = await run(
      ['bad.yaml', '--config', EXAMPLE_CONFIG_PATH],
      [dir],
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/slug: must be a DNS-1035 label/);
    expect(stderr).toMatch(/dailyUsers: must be at least 1/);
  });

  it('reports a missing file and bad usage', async () => {
    expect(await run(['nope.yaml'])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/nope.yaml not found/),
    });
    expect(await run([])).toMatchObject({ code: 2, stdout: '' });
    expect(await run(['a.yaml', '--config'])).toMatchObject({
      code: 2,
      stdout: '',
    });
  });
});
