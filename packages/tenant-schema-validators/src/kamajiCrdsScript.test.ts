/*
 * scripts/kamaji-crds.sh in a copy of the repository with no ../shared beside
 * it: the download path against a local file:// mirror of the pinned Kamaji
 * release's CRDs, with good and tampered files, and the resolver reading what
 * the script wrote.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KAMAJI_CRD_FILES, kamajiCrdDir } from './kamajiCrdDir';

const repoRoot = path.resolve(__dirname, '../../..');
const crdFiles = Object.values(KAMAJI_CRD_FILES);

describe('scripts/kamaji-crds.sh', () => {
  let work: string;
  let clone: string;
  let mirror: string;

  function run(env: Record<string, string | undefined>) {
    const { KAMAJI_CRD_DIR: _ignored, ...inherited } = process.env;
    return spawnSync('bash', [path.join(clone, 'scripts', 'kamaji-crds.sh')], {
      env: { ...inherited, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kamaji-crds-'));
    // <work>/clone/scripts: no <work>/shared beside it
    clone = path.join(work, 'clone');
    mirror = path.join(work, 'mirror');
    fs.mkdirSync(path.join(clone, 'scripts'), { recursive: true });
    fs.mkdirSync(mirror);
    for (const file of ['kamaji-crds.sh', 'kamaji-crds.sha256']) {
      fs.copyFileSync(
        path.join(repoRoot, 'scripts', file),
        path.join(clone, 'scripts', file),
      );
    }
    const source = kamajiCrdDir();
    for (const file of crdFiles) {
      fs.copyFileSync(path.join(source, file), path.join(mirror, file));
    }
  });

  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('downloads the pinned CRDs into .kamaji-crds/ when their checksums match', () => {
    const result = run({ KAMAJI_CRD_BASE_URL: `file://${mirror}` });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const target = path.join(clone, '.kamaji-crds');
    expect(result.stdout.trim()).toBe(target);
    for (const file of crdFiles) {
      expect(fs.readFileSync(path.join(target, file))).toEqual(
        fs.readFileSync(path.join(mirror, file)),
      );
    }
    // the resolver reads them there, and KAMAJI_CRD_DIR still wins
    expect(kamajiCrdDir({ env: {}, repoRoot: clone })).toBe(target);
    expect(
      kamajiCrdDir({ env: { KAMAJI_CRD_DIR: mirror }, repoRoot: clone }),
    ).toBe(mirror);
    // a second run keeps the verified copy without downloading
    const again = run({ KAMAJI_CRD_BASE_URL: `file://${work}/gone` });
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(target);
  });

  it('refuses a tampered file and writes nothing', () => {
    fs.appendFileSync(
      path.join(mirror, KAMAJI_CRD_FILES.DataStore),
      '\n# tampered\n',
    );
    const result = run({ KAMAJI_CRD_BASE_URL: `file://${mirror}` });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /do not match the checksums pinned in scripts\/kamaji-crds.sha256/,
    );
    expect(result.stderr).toMatch(/Set KAMAJI_CRD_DIR to a folder holding/);
    expect(fs.existsSync(path.join(clone, '.kamaji-crds'))).toBe(false);
    expect(() => kamajiCrdDir({ env: {}, repoRoot: clone })).toThrow(
      /The Kamaji CRDs were not found .*Run `bash scripts\/kamaji-crds.sh`/,
    );
  });

  it('re-downloads a local copy whose checksums no longer match', () => {
    const target = path.join(clone, '.kamaji-crds');
    fs.mkdirSync(target);
    for (const file of crdFiles) {
      fs.writeFileSync(path.join(target, file), 'not a CRD\n');
    }
    const result = run({ KAMAJI_CRD_BASE_URL: `file://${mirror}` });
    expect(result.status).toBe(0);
    expect(
      fs.readFileSync(path.join(target, KAMAJI_CRD_FILES.TenantControlPlane)),
    ).toEqual(
      fs.readFileSync(path.join(mirror, KAMAJI_CRD_FILES.TenantControlPlane)),
    );
  });

  it('says what to do when nothing is reachable', () => {
    const result = run({ KAMAJI_CRD_BASE_URL: `file://${work}/unreachable` });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/could not download/);
    expect(result.stderr).toMatch(/Set KAMAJI_CRD_DIR to a folder holding/);
  });

  it('uses KAMAJI_CRD_DIR first, and rejects one without the CRDs', () => {
    const ok = run({
      KAMAJI_CRD_DIR: mirror,
      KAMAJI_CRD_BASE_URL: `file://${work}/unreachable`,
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim()).toBe(mirror);
    const empty = run({ KAMAJI_CRD_DIR: path.join(work, 'empty') });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/does not hold the Kamaji CRDs/);
  });
});
