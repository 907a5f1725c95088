import { useState } from 'react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { frontendVisibleConfig } from '../../__testUtils__/fixtures';
import {
  TenantExternalApisField,
  tenantExternalApisValidation,
} from './TenantExternalApisField';

function Harness() {
  const [value, setValue] = useState<string[] | undefined>();
  const props = {
    formData: value,
    onChange: setValue,
    uiSchema: {},
    formContext: { formData: {} },
    idSchema: { $id: 'root_approvedExternalApiCidrs' },
    schema: {},
    rawErrors: [],
  } as any;
  return (
    <>
      <TenantExternalApisField {...props} />
      <output data-testid="value">{JSON.stringify(value ?? null)}</output>
    </>
  );
}

const value = () => JSON.parse(screen.getByTestId('value').textContent!);

describe('TenantExternalApisField', () => {
  it('starts from the configured defaults and refuses private ranges as they are typed', async () => {
    await renderInTestApp(<Harness />, { config: frontendVisibleConfig() });
    const input = screen.getByRole('textbox', {
      name: 'Approved external APIs',
    });
    await waitFor(() => expect(value()).toEqual(['200.160.0.0/20']));
    expect(input).toHaveValue('200.160.0.0/20');

    await userEvent.type(input, '{enter}10.20.0.0/16');
    expect(value()).toEqual(['200.160.0.0/20', '10.20.0.0/16']);
    expect(
      screen.getByText(/Line 2: "10.20.0.0\/16" overlaps the private/),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Reset to the platform defaults' }),
    );
    expect(value()).toEqual(['200.160.0.0/20']);
    expect(screen.queryByText(/Line 2/)).toBeNull();
  });

  it('blocks malformed, private and duplicate CIDRs on Next', () => {
    const errors: string[] = [];
    tenantExternalApisValidation(
      ['200.160.0.0/20', '192.168.0.0/16', '200.160.0.0/20', 'example'],
      { addError: (e: string) => errors.push(e) } as any,
      { apiHolder: { get: () => undefined } } as any,
    );
    expect(errors).toEqual([
      expect.stringMatching(/^Line 2: "192.168.0.0\/16" overlaps the private/),
      'Line 3: "200.160.0.0/20" is listed twice',
      expect.stringMatching(/^Line 4: "example" must be an IPv4 CIDR/),
    ]);
  });
});
