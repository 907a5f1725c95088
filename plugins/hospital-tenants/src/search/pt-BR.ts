/**
 * Brazilian Portuguese strings of the plugin's search pieces (plain keys,
 * no import of the ref: no import cycle).
 */
const ptBR = {
  resultType: 'Tenants hospitalares',
  region: 'Região: {{region}}',
  phase: 'Fase: {{phase}}',
  phaseUnknown: 'Fase desconhecida',
  sla: 'SLA: {{verdict}}',
  slaUnknown: 'SLA não avaliado',
  departments: 'Departamentos: {{departments}}',
};

export default ptBR;
