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
