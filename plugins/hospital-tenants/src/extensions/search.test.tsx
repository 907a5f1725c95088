import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { hospitalTenantsPlugin } from '../plugin';
import {
  hospitalTenantSearchResultListItem,
  hospitalTenantSearchResultType,
} from './search';

const result = {
  type: 'hospital-tenant',
  document: {
    title: 'Hospital Santa Maria',
    text: 'Hospital Santa Maria',
    location: '/catalog/default/resource/hospital-santa-maria',
    hospitalName: 'Hospital Santa Maria',
    region: 'southamerica-east1',
    phase: 'Ready',
    slaVerdict: '',
  },
};

describe('search extensions', () => {
  it('are part of the plugin, attached to the search page', () => {
    for (const id of [
      'search-result-list-item:hospital-tenants/hospital-tenant',
      'search-filter-result-type:hospital-tenants/hospital-tenant',
    ]) {
      expect(hospitalTenantsPlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('render hospital-tenant results only', async () => {
    const item = createExtensionTester(hospitalTenantSearchResultListItem).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    expect(item.predicate?.(result)).toBe(true);
    expect(
      item.predicate?.({ type: 'software-catalog', document: result.document }),
    ).toBe(false);
    const Item = item.component;
    await renderInTestApp(<Item result={result.document} />);
    expect(
      await screen.findByRole(
        'link',
        { name: 'Hospital Santa Maria' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Phase: Ready')).toBeInTheDocument();
  });

  it('offer "Hospital tenants" in the type filter', () => {
    const type = createExtensionTester(hospitalTenantSearchResultType).get(
      SearchFilterResultTypeBlueprint.dataRefs.resultType,
    );
    expect(type).toMatchObject({
      value: 'hospital-tenant',
      name: 'Hospital tenants',
    });
  });
});
