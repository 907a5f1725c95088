/*
 * The "New Hospital Tenant" review field shows exactly the sizing and cost of
 * the plan the provisioning action renders. The plan builders are backend
 * code (the -node library), so this parity test lives in the app, which may
 * depend on both; the field's own tests stay in the plugin.
 */
import { useState } from 'react';
import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { formatBrl as formatBrlNbsp } from '@prontuario/plugin-hospital-tenants';
import { TenantReviewField } from '@prontuario/plugin-hospital-tenants/legacy';
// The render path of the provisioning action and `yarn render-tenant`.
import {
  parseHospitalTenantsConfigOrThrow,
  planTenant,
} from '@prontuario/plugin-hospital-tenants-node';
import {
  exampleAppConfig,
  frontendVisibleConfig,
  REFERENCE_TENANTS,
  referenceSpec,
} from './__testUtils__/fixtures';

// toHaveTextContent collapses the no-break space Intl puts after "R$".
// The test app speaks English: money as R$1,234.56.
const formatBrl = (amount: number) =>
  formatBrlNbsp(amount, 'en').replace(/\s/g, ' ');

function Harness(props: { form: Record<string, unknown> }) {
  const [value, setValue] = useState<unknown>();
  const fieldProps = {
    formData: value,
    onChange: setValue,
    uiSchema: {},
    formContext: { formData: props.form },
    idSchema: { $id: 'root_review' },
    schema: {},
    rawErrors: [],
  } as any;
  return (
    <>
      <TenantReviewField {...fieldProps} />
      <output data-testid="stored-value">
        {JSON.stringify(value ?? null)}
      </output>
    </>
  );
}

const cell = (id: string) => screen.getByTestId(`review-${id}`);
const quantities = (r: { cpu: string; memory: string }) =>
  `${r.cpu} / ${r.memory}`;

describe('TenantReviewField and the rendered plan', () => {
  const fullConfig = parseHospitalTenantsConfigOrThrow(
    (exampleAppConfig() as any).hospitalTenants,
  );

  it.each(REFERENCE_TENANTS)(
    'shows exactly the sizing and cost of the rendered plan for %s',
    async slug => {
      const spec = referenceSpec(slug);
      const plan = planTenant(spec, fullConfig);
      await renderInTestApp(<Harness form={spec} />, {
        config: frontendVisibleConfig(),
      });

      const tcp = plan.management.find(o => o.kind === 'TenantControlPlane')!;
      const deployment = (tcp.spec as any).controlPlane.deployment;
      expect(cell('replicas')).toHaveTextContent(String(deployment.replicas));
      for (const name of [
        'apiServer',
        'controllerManager',
        'scheduler',
        'kine',
      ]) {
        const resources = deployment.resources[name];
        expect(resources.limits).toEqual(resources.requests);
        expect(cell(`component-${name}`)).toHaveTextContent(
          quantities(resources.requests),
        );
      }
      const konnectivity = (tcp.spec as any).addons.konnectivity.server
        .resources.requests;
      expect(cell('component-konnectivity-server')).toHaveTextContent(
        quantities(konnectivity),
      );

      const quota = plan.management.find(o => o.kind === 'ResourceQuota')!;
      const hard = (quota.spec as any).hard;
      expect(cell('management-quota-resources')).toHaveTextContent(
        `${hard['requests.cpu']} / ${hard['requests.memory']}`,
      );
      expect(cell('management-quota-objects')).toHaveTextContent(
        [
          hard.pods,
          hard.services,
          hard['services.loadbalancers'],
          hard['services.nodeports'],
          hard.secrets,
          hard.configmaps,
        ].join(' / '),
      );
      expect(cell('management-namespace')).toHaveTextContent(
        quota.metadata.namespace!,
      );

      const departmentQuotas = plan.tenant.filter(
        o => o.kind === 'ResourceQuota',
      );
      expect(departmentQuotas).toHaveLength(spec.departments.length);
      for (const q of departmentQuotas) {
        const h = (q.spec as any).hard;
        const row = screen.getByTestId(
          `review-department-${q.metadata.namespace}`,
        );
        const cells = within(row)
          .getAllByRole('cell')
          .map(c => c.textContent);
        expect(cells).toEqual([
          expect.any(String),
          q.metadata.namespace,
          h['requests.cpu'],
          h['requests.memory'],
          h.pods,
          h.services,
          h.persistentvolumeclaims,
          h['requests.storage'],
        ]);
      }

      expect(cell('cost-range')).toHaveTextContent(
        `${formatBrl(plan.costEstimate.monthlyLowBrl)} – ${formatBrl(
          plan.costEstimate.monthlyHighBrl,
        )} per month`,
      );
      expect(cell('cost-control-plane')).toHaveTextContent(
        formatBrl(plan.costEstimate.breakdown.controlPlaneBrl),
      );
      expect(cell('data-store')).toHaveTextContent(
        `${plan.spec.dataStore} (PostgreSQL)`,
      );
      expect(cell('tier')).toHaveTextContent(plan.sizing.tier);
      expect(
        JSON.parse(screen.getByTestId('stored-value').textContent!),
      ).toEqual({
        tier: plan.sizing.tier,
        monthlyLowBrl: plan.costEstimate.monthlyLowBrl,
        monthlyHighBrl: plan.costEstimate.monthlyHighBrl,
      });
    },
  );

  it('uses the environment prices and DataStore of the chosen environment', async () => {
    const spec = {
      ...referenceSpec('hospital-sao-joao'),
      environment: 'staging',
      dataStore: undefined,
    };
    const plan = planTenant(spec, fullConfig);
    await renderInTestApp(<Harness form={spec} />, {
      config: frontendVisibleConfig(),
    });
    expect(plan.spec.dataStore).toBe('etcd-shared');
    expect(cell('data-store')).toHaveTextContent('etcd-shared (etcd)');
    expect(screen.queryByTestId('review-component-kine')).toBeNull();
    expect(cell('cost-range')).toHaveTextContent(
      formatBrl(plan.costEstimate.monthlyHighBrl),
    );
  });

  it('warns when the high estimate exceeds the budget', async () => {
    const spec = {
      ...referenceSpec('hospital-sao-joao'),
      monthlyBudgetBrl: 8000,
    };
    const plan = planTenant(spec, fullConfig);
    expect(plan.costEstimate.monthlyHighBrl).toBeGreaterThan(8000);
    await renderInTestApp(<Harness form={spec} />, {
      config: frontendVisibleConfig(),
    });
    expect(cell('budget')).toHaveTextContent(
      `exceeds the budget of ${formatBrl(8000)}`,
    );
  });
});
