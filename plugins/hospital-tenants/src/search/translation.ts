import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * English messages of the plugin's search pieces (the result list item and
 * the "Hospital tenants" result type).
 *
 * @public
 */
export const hospitalTenantsSearchEnglishMessages = {
  resultType: 'Hospital tenants',
  region: 'Region: {{region}}',
  phase: 'Phase: {{phase}}',
  phaseUnknown: 'Phase unknown',
  sla: 'SLA: {{verdict}}',
  slaUnknown: 'SLA not evaluated',
  departments: 'Departments: {{departments}}',
} as const;

/**
 * The translations of the plugin's search pieces, with Brazilian
 * Portuguese built in.
 *
 * @public
 */
export const hospitalTenantsSearchTranslationRef = createTranslationRef({
  id: 'hospital-tenants-search',
  messages: hospitalTenantsSearchEnglishMessages,
  translations: {
    'pt-BR': () => import('./pt-BR'),
  },
});
