import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** The inputs of a step fed by the "New Hospital Tenant" form. */
export const FORM_INPUT = {
  displayName: '${{ parameters.displayName }}',
  slug: '${{ parameters.slug }}',
  region: '${{ parameters.region }}',
  environment: '${{ parameters.environment }}',
  dailyUsers: '${{ parameters.dailyUsers }}',
  departments: '${{ parameters.departments }}',
  monthlyBudgetBrl: '${{ parameters.monthlyBudgetBrl }}',
  ownerGroup: '${{ parameters.ownerGroup }}',
};

/**
 * Examples shown on /create/actions (to every signed-in user): fictitious
 * hospitals only, never a real tenant's name, budget, users or departments.
 */
export const provisionExamples: TemplateExample[] = [
  {
    description:
      'Provision a tenant from the "New Hospital Tenant" form, passing the form values straight through',
    example: stringify({
      steps: [
        {
          id: 'provision',
          action: 'hospital:tenant:provision',
          name: 'Provision the hospital tenant',
          input: FORM_INPUT,
        },
      ],
      output: {
        links: [
          {
            title: 'Tenant in the catalog',
            entityRef: "${{ steps['provision'].output.entityRef }}",
          },
        ],
      },
    }),
  },
  {
    description: 'Provision a tenant with every field given',
    example: stringify({
      steps: [
        {
          id: 'provision',
          action: 'hospital:tenant:provision',
          name: 'Provision Hospital Exemplo',
          input: {
            displayName: 'Hospital Exemplo',
            slug: 'hospital-exemplo',
            region: 'southamerica-east1',
            environment: 'production',
            dailyUsers: 120,
            departments: ['Ambulatório', 'Pronto Atendimento'],
            kubernetesVersion: 'v1.35.7',
            dataStore: 'postgresql-gold',
            sla: {
              p95Seconds: 2,
              availabilityPercent: 99.9,
              throughputRps: 500,
            },
            monthlyBudgetBrl: 5000,
            ownerGroup: 'group:default/hospital-exemplo',
            approvedExternalApiCidrs: ['203.0.113.0/24'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Keep what a failed run created, to debug it (the default deletes it)',
    example: stringify({
      steps: [
        {
          id: 'provision',
          action: 'hospital:tenant:provision',
          name: 'Provision, keeping objects on failure',
          input: {
            displayName: 'Clínica Modelo',
            slug: 'clinica-modelo',
            region: 'southamerica-east1',
            environment: 'staging',
            dailyUsers: 40,
            departments: ['Consultórios'],
            monthlyBudgetBrl: 2000,
            ownerGroup: 'group:default/hospital-exemplo',
            keepOnFailure: true,
          },
        },
      ],
    }),
  },
];
