import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { configApiRef } from '@backstage/frontend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { frontendVisibleConfig } from '../../__testUtils__/fixtures';
import {
  TenantConfigPickerField,
  tenantConfigPickerValidation,
} from './TenantConfigPickerField';

function Harness() {
  const [form, setForm] = useState<Record<string, unknown>>({});
  const field = (name: string, options: object) =>
    ({
      formData: form[name],
      onChange: (value: unknown) => setForm(f => ({ ...f, [name]: value })),
      uiSchema: { 'ui:options': options },
      formContext: { formData: form },
      idSchema: { $id: `root_${name}` },
      schema: {},
      rawErrors: [],
    } as any);
  return (
    <>
      <TenantConfigPickerField {...field('region', { source: 'region' })} />
      <TenantConfigPickerField
        {...field('environment', { source: 'environment' })}
      />
      <TenantConfigPickerField
        {...field('kubernetesVersion', { source: 'kubernetesVersion' })}
      />
      <output data-testid="form">{JSON.stringify(form)}</output>
    </>
  );
}

const form = () => JSON.parse(screen.getByTestId('form').textContent!);

async function choose(label: RegExp, option: string) {
  await userEvent.click(screen.getByRole('button', { name: label }));
  await userEvent.click(
    within(screen.getByRole('listbox')).getByRole('option', { name: option }),
  );
}

describe('TenantConfigPickerField', () => {
  it('offers the configured regions, then only the chosen region’s environments, and preselects the default Kubernetes version', async () => {
    await renderInTestApp(<Harness />, { config: frontendVisibleConfig() });
    await waitFor(() =>
      expect(form()).toEqual({ kubernetesVersion: 'v1.35.7' }),
    );
    expect(screen.getByText('Choose a region first.')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /Region/ }));
    expect(
      within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'São Paulo (southamerica-east1)',
      'Santiago (southamerica-west1)',
    ]);
    await userEvent.click(screen.getByRole('option', { name: /São Paulo/ }));

    await userEvent.click(screen.getByRole('button', { name: /Environment/ }));
    expect(
      within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['production', 'staging']);
    await userEvent.click(screen.getByRole('option', { name: 'staging' }));
    expect(form()).toMatchObject({
      region: 'southamerica-east1',
      environment: 'staging',
    });

    // Santiago has a single environment: it is chosen for the user, and
    // staging (not offered there) is dropped.
    await choose(/Region/, 'Santiago (southamerica-west1)');
    await waitFor(() =>
      expect(form()).toMatchObject({
        region: 'southamerica-west1',
        environment: 'production',
      }),
    );
  });

  it('validates against the configuration on Next', () => {
    const errors: string[] = [];
    const apiHolder = {
      get: (ref: { id: string }) =>
        ref.id === configApiRef.id
          ? new ConfigReader(frontendVisibleConfig())
          : undefined,
    };
    const run = (value: string | undefined, formData: object, source: string) =>
      tenantConfigPickerValidation(
        value as string,
        { addError: (e: string) => errors.push(e) } as any,
        {
          apiHolder,
          formData,
          schema: {},
          uiSchema: { 'ui:options': { source } },
        } as any,
      );
    run('production', { region: 'southamerica-west1' }, 'environment');
    expect(errors).toEqual([]);
    run('staging', { region: 'southamerica-west1' }, 'environment');
    run('v1.28.0', {}, 'kubernetesVersion');
    run(undefined, {}, 'region');
    expect(errors).toEqual([
      '"staging" is not offered by the portal configuration.',
      '"v1.28.0" is not offered by the portal configuration.',
      'Choose a value.',
    ]);
  });
});
