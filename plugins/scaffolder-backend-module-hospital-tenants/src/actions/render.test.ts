import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { InputError, NotAllowedError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';
import {
  allow,
  deny,
  fakeCatalogAndEvents,
  mockActionContext,
  specInput,
  testConfig,
} from '../__testUtils__/harness';
import { createHospitalTenantRenderAction } from './render';

function setup(permissions = allow()) {
  const { catalog } = fakeCatalogAndEvents();
  return createHospitalTenantRenderAction({
    config: testConfig(),
    catalog,
    permissions,
  });
}

describe('hospital:tenant:render', () => {
  it('writes both layers of the plan into the workspace', async () => {
    const run = mockActionContext(specInput({ slug: 'hospital-gitops' }));
    await setup().handler(run.ctx);
    const dir = path.join(run.workspacePath, 'tenants/hospital-gitops');
    expect(fs.readdirSync(dir).sort()).toEqual([
      'management-cluster.yaml',
      'plan.yaml',
      'tenant-cluster.yaml',
      'tenant-spec.yaml',
    ]);
    const management = parseAllDocuments(
      fs.readFileSync(path.join(dir, 'management-cluster.yaml'), 'utf8'),
    ).map(d => d.toJS());
    expect(management.map(o => o.kind)).toEqual(
      expect.arrayContaining([
        'Namespace',
        'Role',
        'RoleBinding',
        'ResourceQuota',
        'NetworkPolicy',
        'TenantControlPlane',
      ]),
    );
    const tenant = parseAllDocuments(
      fs.readFileSync(path.join(dir, 'tenant-cluster.yaml'), 'utf8'),
    ).map(d => d.toJS());
    const binding = tenant.find(o => o.kind === 'RoleBinding');
    // the cluster group comes from the owner group's annotation
    expect(binding.subjects[0].name).toContain('hospital:hospital-sao-joao');
    expect(fs.readFileSync(path.join(dir, 'plan.yaml'), 'utf8')).toContain(
      '# target: tenant-cluster',
    );
    expect(run.outputs).toEqual({
      files: [
        'tenants/hospital-gitops/plan.yaml',
        'tenants/hospital-gitops/management-cluster.yaml',
        'tenants/hospital-gitops/tenant-cluster.yaml',
        'tenants/hospital-gitops/tenant-spec.yaml',
      ],
      managementNamespace: 'tenant-hospital-gitops',
      entityRef: 'resource:default/hospital-gitops',
    });
  });

  it('refuses a target path outside the workspace', async () => {
    const run = mockActionContext({
      ...specInput(),
      targetPath: '../../etc',
    });
    await expect(setup().handler(run.ctx)).rejects.toThrow(
      /targetPath: "..\/..\/etc" must be a relative path inside the workspace/,
    );
  });

  it.each([['/etc/tenants'], ['tenants/../../outside'], ['..']])(
    'refuses the target path %s',
    async targetPath => {
      const run = mockActionContext({ ...specInput(), targetPath });
      await expect(setup().handler(run.ctx)).rejects.toThrow(
        /must be a relative path inside the workspace/,
      );
    },
  );

  it('follows no symlink out of the workspace, neither a folder nor a file', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'render-outside-'));
    try {
      // a folder in the workspace that links outside (e.g. from a fetched repo)
      const run = mockActionContext({ ...specInput(), targetPath: 'linked' });
      fs.symlinkSync(outside, path.join(run.workspacePath, 'linked'));
      await expect(setup().handler(run.ctx)).rejects.toThrow(
        /targetPath: "linked" must be a relative path inside the workspace/,
      );
      const nested = mockActionContext({
        ...specInput(),
        targetPath: 'linked/deeper',
      });
      fs.symlinkSync(outside, path.join(nested.workspacePath, 'linked'));
      await expect(setup().handler(nested.ctx)).rejects.toThrow(
        /must be a relative path inside the workspace/,
      );

      // a file in the target folder that links outside
      const file = mockActionContext({ ...specInput(), targetPath: 'out' });
      fs.mkdirSync(path.join(file.workspacePath, 'out'));
      fs.symlinkSync(
        path.join(outside, 'stolen.yaml'),
        path.join(file.workspacePath, 'out', 'plan.yaml'),
      );
      // (the check resolves the link and refuses it; were the link placed
      // after the check, O_NOFOLLOW refuses to write through it)
      await expect(setup().handler(file.ctx)).rejects.toThrow(
        /targetPath: "out(\/plan.yaml)?" (must be a relative path inside the workspace|is a symbolic link)/,
      );
      expect(fs.readdirSync(outside)).toEqual([]);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses invalid input and users without the permission', async () => {
    await expect(
      setup().handler(mockActionContext(specInput({ slug: 'kamaji' })).ctx),
    ).rejects.toThrow(InputError);
    const run = mockActionContext(specInput());
    await expect(setup(deny()).handler(run.ctx)).rejects.toThrow(
      NotAllowedError,
    );
    expect(fs.readdirSync(run.workspacePath)).toEqual([]);
  });
});
