/*
 * yarn bench:search: streams 1 000, 10 000 and 50 000 synthetic tenants
 * through the collator from a fake paged source (pages of 100, like the
 * tenant API) into a sink that keeps nothing, each size in its own Node
 * process, and prints the time and the peak RSS of each. Fails when the
 * peak RSS at 50 000 exceeds 1.2 × the one at 1 000 (a collator that held
 * the whole list would grow with it).
 */
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HospitalTenantCollatorFactory } from '../src/collator/HospitalTenantCollatorFactory';
import { HospitalTenantFacts } from '../src/collator/HospitalTenantDocument';
import {
  HospitalTenantSource,
  TENANT_API_PAGE_SIZE,
} from '../src/collator/TenantApiSource';

const SIZES = [1_000, 10_000, 50_000];
const MAX_RATIO = 1.2;

function syntheticTenant(i: number): HospitalTenantFacts {
  const slug = `hospital-${i.toString(36).padStart(6, '0')}`;
  return {
    item: {
      tenantId: slug,
      entityRef: `resource:default/${slug}`,
      summary: {
        phase: 'Ready',
        version: 'v1.30.2',
        isolationScore: 100,
        asOf: new Date().toISOString(),
        stale: false,
      },
    },
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: slug,
        annotations: {
          'hospital-tenants.io/display-name': `Hospital São João ${i}`,
          'hospital-tenants.io/departments':
            'Emergência, Diagnóstico por Imagem, Pediatria, Ortopedia',
          'hospital-tenants.io/region': 'southamerica-east1',
          'hospital-tenants.io/environment': 'production',
          'hospital-tenants.io/kubernetes-version': 'v1.30.2',
          'hospital-tenants.io/owner': `group:default/${slug}`,
        },
      },
      spec: { type: 'hospital-tenant', owner: `group:default/${slug}` },
    },
  };
}

/** Pages built on demand, as the tenant API serves them. */
function fakeSource(total: number): HospitalTenantSource {
  return {
    async *pages() {
      for (let start = 0; start < total; start += TENANT_API_PAGE_SIZE) {
        const end = Math.min(total, start + TENANT_API_PAGE_SIZE);
        const page: HospitalTenantFacts[] = [];
        for (let i = start; i < end; i++) page.push(syntheticTenant(i));
        // a network read yields to the event loop
        await new Promise(resolve => setImmediate(resolve));
        yield page;
      }
    },
  };
}

async function measure(size: number) {
  const factory = HospitalTenantCollatorFactory.fromSource(fakeSource(size));
  let count = 0;
  const started = process.hrtime.bigint();
  await pipeline(
    await factory.getCollator(),
    new Writable({
      objectMode: true,
      write(_doc, _enc, done) {
        count++;
        done();
      },
    }),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (count !== size)
    throw new Error(`expected ${size} documents, got ${count}`);
  // maxRSS is in kilobytes
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ size, ms, peakRssMiB }));
}

function main() {
  const results = SIZES.map(size => {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, __filename, '--size', String(size)],
      { encoding: 'utf8' },
    );
    return JSON.parse(out) as { size: number; ms: number; peakRssMiB: number };
  });
  console.log('tenants   time (ms)   peak RSS (MiB)');
  for (const r of results) {
    console.log(
      `${String(r.size).padStart(7)}   ${r.ms
        .toFixed(0)
        .padStart(9)}   ${r.peakRssMiB.toFixed(1).padStart(14)}`,
    );
  }
  const ratio = results[2].peakRssMiB / results[0].peakRssMiB;
  console.log(
    `peak RSS at 50 000 / at 1 000 = ${ratio.toFixed(
      3,
    )} (target ≤ ${MAX_RATIO})`,
  );
  if (ratio > MAX_RATIO) process.exitCode = 1;
}

const sizeArg = process.argv.indexOf('--size');
if (sizeArg >= 0) {
  measure(Number(process.argv[sizeArg + 1])).catch(error => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}
