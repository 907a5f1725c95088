import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import {
  CLUSTER_GROUP_ANNOTATION,
  DEFAULT_SLA,
  MAX_DAILY_USERS,
  MAX_DEPARTMENTS,
  tenantSpecBaseSchema,
} from '@prontuario/plugin-hospital-tenants-common';
import { TENANT_CONFIG_PICKER_FIELD_NAME } from './components/TenantConfigPickerField';
import { TENANT_EXTERNAL_APIS_FIELD_NAME } from './components/TenantExternalApisField';
import { TENANT_REVIEW_FIELD_NAME } from './components/TenantReviewField';
import { TENANT_SLUG_FIELD_NAME } from './components/TenantSlugField';

const template = parse(
  readFileSync(
    resolve(__dirname, '../../../templates/new-hospital-tenant/template.yaml'),
    'utf8',
  ),
);
const properties: Record<string, any> = Object.assign(
  {},
  ...template.spec.parameters.map((p: any) => p.properties),
);

describe('the New Hospital Tenant template', () => {
  it('is a valid v1beta3 template with the pinned name, type and owner', async () => {
    expect(await templateEntityV1beta3Validator.check(template)).toBe(true);
    expect(template.metadata.name).toBe('new-hospital-tenant');
    expect(template.metadata.title).toBe('New Hospital Tenant');
    expect(template.spec.type).toBe('hospital-tenant');
    expect(template.spec.owner).toBe('group:default/platform-engineering');
  });

  it('uses only the custom fields this plugin provides (and the owner EntityPicker limited to groups)', () => {
    const fields = Object.values(properties)
      .map(p => p['ui:field'])
      .filter(Boolean);
    expect(new Set(fields)).toEqual(
      new Set([
        TENANT_SLUG_FIELD_NAME,
        TENANT_CONFIG_PICKER_FIELD_NAME,
        TENANT_EXTERNAL_APIS_FIELD_NAME,
        TENANT_REVIEW_FIELD_NAME,
        'EntityPicker',
      ]),
    );
    // Only groups the action accepts: those with a cluster group.
    expect(properties.ownerGroup['ui:options'].catalogFilter).toEqual([
      {
        kind: 'Group',
        [`metadata.annotations.${CLUSTER_GROUP_ANNOTATION}`]: { exists: true },
      },
    ]);
    // The review is the last step, after every input it sizes.
    const last = template.spec.parameters[template.spec.parameters.length - 1];
    expect(Object.keys(last.properties)).toEqual(['review']);
  });

  it('passes every tenant spec field the form asks for to hospital:tenant:provision, and nothing else', () => {
    const [step] = template.spec.steps;
    expect(template.spec.steps).toHaveLength(1);
    expect(step.action).toBe('hospital:tenant:provision');
    const specFields = Object.keys(tenantSpecBaseSchema.shape);
    const inputs = Object.keys(step.input);
    expect(inputs.filter(k => k !== 'keepOnFailure')).toEqual(
      specFields.filter(
        k => !['dataStore', 'clusterGroup'].includes(k) && inputs.includes(k),
      ),
    );
    const { keepOnFailure, ...specInputs } = step.input;
    expect(keepOnFailure).toBe(false);
    for (const [key, value] of Object.entries(specInputs)) {
      expect(specFields).toContain(key);
      expect(value).toBe(`\${{ parameters.${key} }}`);
      expect(properties).toHaveProperty(key);
    }
    // Everything the spec requires is asked for.
    for (const required of [
      'displayName',
      'slug',
      'region',
      'environment',
      'dailyUsers',
      'departments',
      'monthlyBudgetBrl',
      'ownerGroup',
    ]) {
      expect(inputs).toContain(required);
    }
  });

  it('mirrors the spec rules: limits and the SLA defaults from the brief', () => {
    expect(properties.dailyUsers.maximum).toBe(MAX_DAILY_USERS);
    expect(properties.departments.maxItems).toBe(MAX_DEPARTMENTS);
    expect(properties.displayName.maxLength).toBe(100);
    const sla = properties.sla.properties;
    expect({
      p95Seconds: sla.p95Seconds.default,
      availabilityPercent: sla.availabilityPercent.default,
      throughputRps: sla.throughputRps.default,
    }).toEqual(DEFAULT_SLA);
  });

  it("ends on the tenant's entity page and the task log", () => {
    expect(template.spec.output.links).toEqual([
      expect.objectContaining({
        entityRef: "${{ steps['provision'].output.entityRef }}",
      }),
      expect.objectContaining({ url: '/create/tasks/${{ context.task.id }}' }),
    ]);
  });
});
