import { useState } from 'react';
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  frontendVisibleConfig,
  referenceSpec,
} from '../../__testUtils__/fixtures';
import { TenantReviewField } from './TenantReviewField';

// That the review shows exactly the rendered plan's sizing and cost is
// tested in packages/app (tenantReviewParity.test.tsx): the plan builders
// are backend code.

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

describe('TenantReviewField', () => {
  it('names the fields still missing instead of sizing', async () => {
    await renderInTestApp(
      <Harness form={{ region: 'southamerica-east1', departments: [] }} />,
      { config: frontendVisibleConfig() },
    );
    expect(screen.getByTestId('review-missing')).toHaveTextContent(
      'Fill in the environment, the daily users, at least one department',
    );
    expect(screen.queryByTestId('tenant-review')).toBeNull();
  });

  it('explains a missing configuration', async () => {
    await renderInTestApp(
      <Harness form={referenceSpec('hospital-sao-joao')} />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'no hospitalTenants configuration visible to the browser',
    );
  });
});
