import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  FieldExtensionComponentProps,
  SecretsContextProvider,
} from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import {
  parseHospitalTenantsConfig,
  parseTenantSpec,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  exampleAppConfig,
  frontendVisibleConfig,
  tenantEntity,
} from './__testUtils__/fixtures';
import { tenantFieldOptions } from './components/fieldExtensionOptions';

jest.setTimeout(120_000);

const template = parse(
  readFileSync(
    resolve(__dirname, '../../../templates/new-hospital-tenant/template.yaml'),
    'utf8',
  ),
);

// What the scaffolder backend serves as the template's parameter schema.
const manifest = {
  title: template.metadata.title,
  steps: template.spec.parameters.map((p: any) => ({
    title: p.title,
    description: p.description,
    schema: p,
  })),
};

// The EntityPicker of @backstage/plugin-scaffolder, as a plain input here.
const EntityPickerStub = (props: FieldExtensionComponentProps<string>) => (
  <input
    id={props.idSchema?.$id}
    aria-label={props.schema.title}
    value={props.formData ?? ''}
    onChange={e => props.onChange(e.target.value)}
  />
);

describe('the New Hospital Tenant form in the scaffolder Stepper', () => {
  it('walks the four steps, shows the review, and hands the action a spec the domain core accepts', async () => {
    const onCreate = jest.fn(async () => {});

    await renderInTestApp(
      <SecretsContextProvider>
        <Stepper
          manifest={manifest as any}
          extensions={[
            ...(tenantFieldOptions as any[]),
            { name: 'EntityPicker', component: EntityPickerStub },
          ]}
          onCreate={onCreate}
        />
      </SecretsContextProvider>,
      {
        config: frontendVisibleConfig(),
        apis: [
          catalogApiMock({ entities: [tenantEntity('hospital-sao-joao')] }),
        ],
      },
    );

    // Step 1
    await userEvent.type(
      await screen.findByRole('textbox', { name: /Hospital name/ }),
      'Hospital São João',
    );
    await waitFor(() =>
      expect(screen.getByTestId('tenant-slug-status')).toHaveAttribute(
        'data-state',
        'taken',
      ),
    );
    // The catalog already has this tenant: Next is refused.
    await userEvent.type(
      screen.getByRole('textbox', { name: /Owner group/ }),
      'group:default/hospital-sao-joao',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(
      (
        await screen.findAllByText(
          /Already used by resource:default\/hospital-sao-joao/,
        )
      ).length,
    ).toBeGreaterThan(0);
    await userEvent.type(
      screen.getByRole('textbox', { name: /Hospital name/ }),
      ' Norte',
    );
    expect(screen.getByRole('textbox', { name: /Tenant ID/ })).toHaveValue(
      'hospital-sao-joao-norte',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));

    // Step 2
    await userEvent.click(
      await screen.findByRole('button', { name: /Region/ }),
    );
    await userEvent.click(
      screen.getByRole('option', { name: 'São Paulo (southamerica-east1)' }),
    );
    await userEvent.click(screen.getByRole('button', { name: /Environment/ }));
    await userEvent.click(screen.getByRole('option', { name: 'production' }));
    await userEvent.type(
      screen.getByRole('spinbutton', { name: /Daily users/ }),
      '180',
    );
    for (const [index, department] of [
      'Pronto-Socorro',
      'Pediatria',
    ].entries()) {
      // minItems 1: the first department's box is already there.
      if (index > 0) {
        await userEvent.click(screen.getByRole('button', { name: 'Add Item' }));
      }
      await userEvent.type(
        document.getElementById(`root_departments_${index}`)!,
        department,
      );
    }
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));

    // Step 3
    await userEvent.type(
      await screen.findByRole('spinbutton', { name: /Monthly budget/ }),
      '20000',
    );
    expect(document.getElementById('root_sla_p95Seconds')).toHaveValue(2);
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: /Kubernetes version/ }),
      ).toHaveTextContent('v1.35.7'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));

    // Step 4: the review
    const review = await screen.findByTestId('tenant-review');
    expect(within(review).getByTestId('review-tier')).toHaveTextContent(
      'medium',
    );
    expect(within(review).getByTestId('review-entity-ref')).toHaveTextContent(
      'resource:default/hospital-sao-joao-norte',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );

    await waitFor(() => expect(onCreate).toHaveBeenCalledTimes(1));
    const values = (onCreate.mock.calls[0] as any)[0];
    const input = Object.fromEntries(
      Object.keys(template.spec.steps[0].input)
        .filter(k => k !== 'keepOnFailure' && values[k] !== undefined)
        .map(k => [k, values[k]]),
    );
    expect(input).toEqual({
      displayName: 'Hospital São João Norte',
      slug: 'hospital-sao-joao-norte',
      region: 'southamerica-east1',
      environment: 'production',
      dailyUsers: 180,
      departments: ['Pronto-Socorro', 'Pediatria'],
      kubernetesVersion: 'v1.35.7',
      sla: { p95Seconds: 2, availabilityPercent: 99.9, throughputRps: 1000 },
      monthlyBudgetBrl: 20000,
      ownerGroup: 'group:default/hospital-sao-joao',
      approvedExternalApiCidrs: ['200.160.0.0/20'],
    });
    const fullConfig = parseHospitalTenantsConfig(
      (exampleAppConfig() as any).hospitalTenants,
    );
    if (!fullConfig.success) throw new Error(fullConfig.errors.join('\n'));
    expect(parseTenantSpec(input, fullConfig.data)).toMatchObject({
      success: true,
    });
    expect(values.review).toMatchObject({ tier: 'medium' });
  });
});
