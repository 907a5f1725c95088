import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  HospitalTenantSearchDocument,
  HospitalTenantSearchResultListItem,
} from './HospitalTenantSearchResultListItem';

const saoJoao: HospitalTenantSearchDocument = {
  title: 'Hospital São João',
  text: 'Hospital São João Hospital Sao Joao hospital-sao-joao',
  location: '/catalog/default/resource/hospital-sao-joao',
  tenantId: 'hospital-sao-joao',
  hospitalName: 'Hospital São João',
  region: 'southamerica-east1',
  environment: 'production',
  departments: ['Emergência', 'Pediatria'],
  phase: 'Ready',
  slaVerdict: '',
};

describe('HospitalTenantSearchResultListItem', () => {
  it("shows the hospital's name linking to its entity page, with region, phase and SLA chips", async () => {
    await renderInTestApp(
      <HospitalTenantSearchResultListItem result={saoJoao} />,
    );
    expect(
      screen.getByRole('link', { name: 'Hospital São João' }),
    ).toHaveAttribute('href', '/catalog/default/resource/hospital-sao-joao');
    expect(
      screen.getByText('Departments: Emergência, Pediatria'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Region: southamerica-east1 · production'),
    ).toBeInTheDocument();
    expect(screen.getByText('Phase: Ready')).toBeInTheDocument();
    expect(screen.getByText('SLA not evaluated')).toBeInTheDocument();
  });

  it('shows a known SLA verdict and an unknown phase', async () => {
    await renderInTestApp(
      <HospitalTenantSearchResultListItem
        result={{ ...saoJoao, phase: '', slaVerdict: 'met' }}
      />,
    );
    expect(screen.getByText('Phase unknown')).toBeInTheDocument();
    expect(screen.getByText('SLA: met')).toBeInTheDocument();
  });

  it('renders nothing without a result', async () => {
    await renderInTestApp(
      <div data-testid="host">
        <HospitalTenantSearchResultListItem />
      </div>,
    );
    expect(screen.getByTestId('host')).toBeEmptyDOMElement();
  });
});
