import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError } from '@backstage/errors';
import { KAMAJI_CRD_FILES, kamajiCrdDir } from './kamajiCrdDir';

describe('kamajiCrdDir', () => {
  let work: string;
  let repo: string;

  function fill(dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    for (const file of Object.values(KAMAJI_CRD_FILES)) {
      fs.writeFileSync(
        path.join(dir, file),
        'kind: CustomResourceDefinition\n',
      );
    }
    return dir;
  }

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kamaji-dir-'));
    repo = path.join(work, 'repo');
    fs.mkdirSync(repo);
  });

  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('prefers the explicit folder, then KAMAJI_CRD_DIR, then ../shared, then .kamaji-crds', () => {
    const explicit = fill(path.join(work, 'explicit'));
    const fromEnv = fill(path.join(work, 'env'));
    const shared = fill(path.join(work, 'shared', 'schemas', 'kamaji'));
    const local = fill(path.join(repo, '.kamaji-crds'));
    const env = { KAMAJI_CRD_DIR: fromEnv };
    expect(kamajiCrdDir({ explicit, env, repoRoot: repo })).toBe(explicit);
    expect(kamajiCrdDir({ env, repoRoot: repo })).toBe(fromEnv);
    expect(kamajiCrdDir({ env: {}, repoRoot: repo })).toBe(shared);
    fs.rmSync(shared, { recursive: true });
    expect(kamajiCrdDir({ env: {}, repoRoot: repo })).toBe(local);
  });

  it('says what to do when no folder holds the CRDs', () => {
    fs.mkdirSync(path.join(repo, '.kamaji-crds'));
    const attempt = () => kamajiCrdDir({ env: {}, repoRoot: repo });
    expect(attempt).toThrow(NotFoundError);
    expect(attempt).toThrow(
      /not found .*Run `bash scripts\/kamaji-crds.sh` .*or set KAMAJI_CRD_DIR/,
    );
  });

  it('rejects a KAMAJI_CRD_DIR without both CRDs instead of looking elsewhere', () => {
    fill(path.join(repo, '.kamaji-crds'));
    const half = path.join(work, 'half');
    fs.mkdirSync(half);
    fs.writeFileSync(path.join(half, KAMAJI_CRD_FILES.DataStore), '');
    expect(() =>
      kamajiCrdDir({ env: { KAMAJI_CRD_DIR: half }, repoRoot: repo }),
    ).toThrow(/The Kamaji CRDs are not in .*half \(from KAMAJI_CRD_DIR\)/);
  });

  it('finds this repository by itself', () => {
    expect(
      fs.existsSync(
        path.join(kamajiCrdDir(), KAMAJI_CRD_FILES.TenantControlPlane),
      ),
    ).toBe(true);
  });
});
