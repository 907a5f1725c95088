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

/** Examples shown on /create/actions. */
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
          name: 'Provision Hospital São João',
          input: {
            displayName: 'Hospital São João',
            slug: 'hospital-sao-joao',
            region: 'southamerica-east1',
            environment: 'production',
            dailyUsers: 150,
            departments: ['Clínica Geral', 'Emergência', 'Maternidade'],
            kubernetesVersion: 'v1.35.7',
            dataStore: 'postgresql-gold',
            sla: {
              p95Seconds: 2,
              availabilityPercent: 99.9,
              throughputRps: 1000,
            },
            monthlyBudgetBrl: 8000,
            ownerGroup: 'group:default/hospital-sao-joao',
            approvedExternalApiCidrs: ['200.160.0.0/20'],
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
            displayName: 'Hospital Santa Maria',
            slug: 'hospital-santa-maria',
            region: 'southamerica-east1',
            environment: 'production',
            dailyUsers: 300,
            departments: ['Cardiologia', 'Emergência'],
            monthlyBudgetBrl: 15000,
            ownerGroup: 'group:default/hospital-santa-maria',
            keepOnFailure: true,
          },
        },
      ],
    }),
  },
];
