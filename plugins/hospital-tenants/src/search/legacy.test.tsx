import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  HospitalTenantSearchResultListItem,
  isHospitalTenantSearchResult,
} from '../legacy';

describe('legacy search exports', () => {
  it('tell tenant results from others', () => {
    const document = { title: 't', text: '', location: '/' };
    expect(
      isHospitalTenantSearchResult({ type: 'hospital-tenant', document }),
    ).toBe(true);
    expect(
      isHospitalTenantSearchResult({ type: 'software-catalog', document }),
    ).toBe(false);
  });

  it('render a tenant result', async () => {
    await renderInTestApp(
      <HospitalTenantSearchResultListItem
        result={{
          title: 'Real Hospital Português',
          text: '',
          location: '/catalog/default/resource/real-hospital-portugues',
          region: 'southamerica-east1',
          phase: 'Ready',
        }}
      />,
    );
    expect(
      await screen.findByRole('link', { name: 'Real Hospital Português' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Phase: Ready')).toBeInTheDocument();
  });
});
