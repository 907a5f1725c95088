import { useState } from 'react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { MAX_SLUG_LENGTH } from '@prontuario/plugin-hospital-tenants-common';
import { tenantEntity } from '../../__testUtils__/fixtures';
import { TenantSlugField, tenantSlugValidation } from './TenantSlugField';

function Harness(props: { initialSlug?: string }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState<string | undefined>(props.initialSlug);
  const fieldProps = {
    formData: slug,
    onChange: setSlug,
    uiSchema: { 'ui:options': { sourceField: 'displayName' } },
    formContext: { formData: { displayName: name, slug } },
    idSchema: { $id: 'root_slug' },
    schema: {},
    rawErrors: [],
    required: true,
  } as any;
  return (
    <>
      <input
        aria-label="Hospital name"
        value={name}
        onChange={e => setName(e.target.value)}
      />
      <TenantSlugField {...fieldProps} />
    </>
  );
}

function renderHarness(entities = [tenantEntity('hospital-sao-joao')]) {
  const catalogApi = catalogApiMock({ entities });
  const getEntities = jest.spyOn(catalogApi, 'getEntities');
  renderInTestApp(<Harness />, { apis: [catalogApi] });
  return { getEntities };
}

const slugInput = () =>
  screen.getByRole('textbox', { name: /Tenant ID \(slug\)/ });
const status = () => screen.getByTestId('tenant-slug-status');

describe('TenantSlugField', () => {
  it('derives the slug from the hospital name as it is typed, dropping accents and spaces', async () => {
    renderHarness([]);
    await userEvent.type(
      await screen.findByLabelText('Hospital name'),
      'Hospital  São João',
    );
    expect(slugInput()).toHaveValue('hospital-sao-joao');

    await userEvent.type(screen.getByLabelText('Hospital name'), ' — Ação!');
    expect(slugInput()).toHaveValue('hospital-sao-joao-acao');
  });

  it('prefixes a name that starts with a digit and cuts long names at the slug limit', async () => {
    renderHarness([]);
    const name = screen.getByLabelText('Hospital name');
    await userEvent.type(name, '9 de Julho');
    expect(slugInput()).toHaveValue('h-9-de-julho');

    await userEvent.clear(name);
    expect(slugInput()).toHaveValue('');
    await userEvent.click(name);
    await userEvent.paste(
      'Irmandade da Santa Casa de Misericórdia de São Paulo Hospital Central Unidade Norte',
    );
    const value = (slugInput() as HTMLInputElement).value;
    expect(value.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(value).toBe(
      'irmandade-da-santa-casa-de-misericordia-de-sao-paulo-hos',
    );
    expect(value).toMatch(/^[a-z][-a-z0-9]*[a-z0-9]$/);
  });

  it('stops following the name once the slug is edited, and offers the suggestion back', async () => {
    renderHarness([]);
    const name = screen.getByLabelText('Hospital name');
    await userEvent.type(name, 'Hospital Norte');
    await userEvent.clear(slugInput());
    await userEvent.type(slugInput(), 'hnorte');
    await userEvent.type(name, ' Novo');
    expect(slugInput()).toHaveValue('hnorte');

    await userEvent.click(
      screen.getByRole('button', { name: 'Use "hospital-norte-novo"' }),
    );
    expect(slugInput()).toHaveValue('hospital-norte-novo');
  });

  it('checks the format live', async () => {
    renderHarness([]);
    await userEvent.type(slugInput(), '1abc');
    expect(status()).toHaveAttribute('data-state', 'invalid');
    expect(status()).toHaveTextContent(/must start with a letter/);

    await userEvent.clear(slugInput());
    await userEvent.click(slugInput());
    await userEvent.paste('a'.repeat(MAX_SLUG_LENGTH + 1));
    expect(status()).toHaveTextContent(`At most ${MAX_SLUG_LENGTH} characters`);
  });

  it('reports a slug already used by a tenant in the catalog, and a free one as available', async () => {
    const { getEntities } = renderHarness([tenantEntity('hospital-sao-joao')]);
    await userEvent.type(slugInput(), 'hospital-sao-joao');
    await waitFor(() =>
      expect(status()).toHaveAttribute('data-state', 'taken'),
    );
    expect(status()).toHaveTextContent(
      'Already used by resource:default/hospital-sao-joao.',
    );

    await userEvent.type(slugInput(), '-2');
    await waitFor(() =>
      expect(status()).toHaveAttribute('data-state', 'available'),
    );
    // Debounced: one lookup per pause, not one per keystroke.
    expect(getEntities.mock.calls.length).toBeLessThan(
      'hospital-sao-joao-2'.length,
    );
  });

  it('finds a tenant by its tenant-id annotation even when its entity has another name', async () => {
    renderHarness([tenantEntity('hospital-leste', 'renamed-entity')]);
    await userEvent.type(slugInput(), 'hospital-leste');
    await waitFor(() =>
      expect(status()).toHaveAttribute('data-state', 'taken'),
    );
    expect(status()).toHaveTextContent('resource:default/renamed-entity');
  });

  it('says the action will decide when the catalog cannot answer', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntities: jest.fn().mockRejectedValue(new Error('catalog down')),
    });
    renderInTestApp(<Harness />, { apis: [catalogApi] });
    await userEvent.type(slugInput(), 'hospital-novo');
    await waitFor(() =>
      expect(status()).toHaveAttribute('data-state', 'unknown'),
    );
    expect(status()).toHaveTextContent(/catalog down.*will check again/);
  });
});

describe('tenantSlugValidation', () => {
  function run(value: string, catalogApi: unknown) {
    const errors: string[] = [];
    const apiHolder = {
      get: (ref: { id: string }) =>
        ref.id === catalogApiRef.id ? catalogApi : undefined,
    };
    return Promise.resolve(
      tenantSlugValidation(
        value,
        { addError: (e: string) => errors.push(e) } as any,
        { apiHolder, formData: {}, schema: {} } as any,
      ),
    ).then(() => errors);
  }

  it('blocks a malformed or taken slug and passes a free one', async () => {
    const catalogApi = catalogApiMock({
      entities: [tenantEntity('hospital-sao-joao')],
    });
    expect(await run('Hospital', catalogApi)).toEqual([
      expect.stringMatching(/lowercase letters/),
    ]);
    expect(await run('hospital-sao-joao', catalogApi)).toEqual([
      'Already used by resource:default/hospital-sao-joao.',
    ]);
    expect(await run('hospital-sul', catalogApi)).toEqual([]);
  });

  it('does not block when the catalog fails (the action has the final word)', async () => {
    const failing = {
      getEntities: () => Promise.reject(new Error('down')),
    };
    expect(await run('hospital-sul', failing)).toEqual([]);
  });
});
