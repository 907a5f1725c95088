import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { tenantSpecBaseSchema } from '@prontuario/plugin-hospital-tenants-common';
import {
  allow,
  fakeCatalogAndEvents,
  hospitalTenantsBlock,
  mockActionContext,
  recordingAuditor,
} from '../__testUtils__/harness';
import { createHospitalTenantProvisionAction } from './provision';
import { provisionExamples } from './provision.examples';
import { createHospitalTenantRenderAction } from './render';

/** Names, slugs, groups and departments of the real reference hospitals. */
function referenceTenantFacts(): string[] {
  const dir = path.resolve(__dirname, '../../../../examples/tenants');
  const facts = new Set<string>();
  for (const file of fs.readdirSync(dir)) {
    const spec = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const body = spec.spec ?? spec;
    for (const value of [
      body.displayName,
      body.slug,
      body.ownerGroup,
      ...(body.departments ?? []),
    ]) {
      if (typeof value === 'string' && value.length > 0) facts.add(value);
    }
  }
  expect(facts.size).toBeGreaterThan(6);
  return [...facts];
}

describe('hospital:tenant:provision examples', () => {
  const { catalog, events } = fakeCatalogAndEvents();
  const action = createHospitalTenantProvisionAction({
    config: new ConfigReader({ hospitalTenants: hospitalTenantsBlock() }),
    clusters: {
      management: () => {
        throw new Error('a dry run touches no cluster');
      },
      tenant: async () => {
        throw new Error('a dry run touches no cluster');
      },
    },
    catalog,
    events,
    permissions: allow(),
    auth: mockServices.auth({ pluginId: 'scaffolder' }),
    auditor: recordingAuditor().auditor,
    logger: mockServices.logger.mock(),
  });

  it('names only fictitious hospitals (the action list is public to every user)', async () => {
    const render = createHospitalTenantRenderAction({
      config: new ConfigReader({ hospitalTenants: hospitalTenantsBlock() }),
      catalog,
      permissions: allow(),
    });
    const published = JSON.stringify([
      ...provisionExamples,
      ...(render.examples ?? []),
    ]);
    for (const real of referenceTenantFacts()) {
      expect({ real, found: published.includes(real) }).toEqual({
        real,
        found: false,
      });
    }
  });

  it('uses the spec field names of the domain core', () => {
    const fields = Object.keys(tenantSpecBaseSchema.shape);
    for (const example of provisionExamples) {
      const input = parse(example.example).steps[0].input;
      for (const key of Object.keys(input)) {
        expect([...fields, 'keepOnFailure']).toContain(key);
      }
    }
  });

  it.each(provisionExamples.slice(1).map(e => [e.description, e]))(
    'runs as a dry run: %s',
    async (_d, example) => {
      const step = parse(example.example).steps[0];
      expect(step.action).toBe('hospital:tenant:provision');
      const run = mockActionContext(step.input, { isDryRun: true });
      await action.handler(run.ctx);
      expect(run.outputs.tenantId).toBe(step.input.slug);
    },
  );
});
