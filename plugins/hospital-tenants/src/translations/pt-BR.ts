/**
 * Brazilian Portuguese strings of the hospital-tenants plugin, loaded on
 * demand by `hospitalTenantsTranslationRef` itself (plain keys, so this file
 * does not import the ref: no import cycle). The ref's type requires every
 * key.
 */
const ptBR = {
  notConfigured:
    'O portal não tem configuração hospitalTenants visível no navegador; peça ao time de plataforma para configurá-la.',
  configError: 'A configuração hospitalTenants é inválida: {{error}}',
  'slugField.title': 'ID do tenant (slug)',
  'slugField.help':
    'Derivado do nome do hospital enquanto você digita; pode ser editado. Letras minúsculas, dígitos e "-", começando com letra, no máximo {{max}} caracteres. Dá nome ao namespace do tenant (tenant-<slug>) e à sua entidade no catálogo, e não pode ser mudado depois.',
  'slugField.useSuggestion': 'Usar "{{suggestion}}"',
  'slugField.required': 'Informe um ID de tenant.',
  'slugField.tooLong':
    'No máximo {{max}} caracteres, para que tenant-<slug> caiba num nome de namespace (63).',
  'slugField.format':
    'Apenas letras minúsculas, dígitos e "-"; deve começar com letra e terminar com letra ou dígito.',
  'slugField.checking': 'Verificando disponibilidade no catálogo…',
  'slugField.available':
    'Disponível no catálogo (o passo de provisionamento verifica o cluster de novo).',
  'slugField.taken': 'Já usado por {{refs}}.',
  'slugField.unknown':
    'Não foi possível verificar a disponibilidade ({{error}}); o passo de provisionamento verificará de novo.',
  'configPicker.region.title': 'Região',
  'configPicker.region.help':
    'A região GCP que hospeda o tenant (da configuração do portal).',
  'configPicker.environment.title': 'Ambiente',
  'configPicker.environment.help':
    'O ambiente dentro da região (da configuração do portal).',
  'configPicker.kubernetesVersion.title': 'Versão do Kubernetes',
  'configPicker.kubernetesVersion.help':
    'A versão do control plane do tenant; só versões suportadas são oferecidas.',
  'configPicker.chooseRegionFirst': 'Escolha uma região primeiro.',
  'configPicker.required': 'Escolha um valor.',
  'configPicker.notOffered':
    '"{{value}}" não é oferecido pela configuração do portal.',
  'configPicker.defaultSuffix': '(padrão)',
  'externalApis.title': 'APIs externas aprovadas',
  'externalApis.help':
    'CIDRs IPv4 públicos (um por linha) que os namespaces dos departamentos podem chamar na porta 443. Vêm preenchidos com os padrões da plataforma; mantenha-os, a menos que o hospital precise de mais.',
  'externalApis.invalid': 'Linha {{line}}: {{problem}}',
  'externalApis.duplicate': 'Linha {{line}}: "{{cidr}}" aparece duas vezes',
  'externalApis.resetToDefaults': 'Restaurar os padrões da plataforma',
  'review.title': 'Revise antes de executar',
  'review.intro':
    'Este é o dimensionamento e o custo que o passo de provisionamento aplicará, calculados pelo mesmo modelo da action e do yarn render-tenant. Nada foi criado ainda.',
  'review.missing':
    'Preencha {{fields}} nos passos anteriores para ver o dimensionamento.',
  'review.fields.region': 'a região',
  'review.fields.environment': 'o ambiente',
  'review.fields.dailyUsers': 'os usuários diários',
  'review.fields.departments': 'ao menos um departamento',
  'review.whatWillBeCreated': 'O que será criado',
  'review.tenantEntity': 'Entidade no catálogo',
  'review.managementNamespace': 'Namespace de gerenciamento',
  'review.dataStore': 'DataStore',
  'review.departmentNamespaces': 'Namespaces dos departamentos',
  'review.tier': 'Classe de tamanho',
  'review.controlPlane': 'Control plane',
  'review.replicas': 'Réplicas',
  'review.component': 'Componente',
  'review.cpu': 'CPU',
  'review.memory': 'Memória',
  'review.podTotal': 'Total do pod (por réplica)',
  'review.managementQuota':
    'Quota do namespace de gerenciamento (com 100 % de surge na atualização)',
  'review.pods': 'Pods',
  'review.services': 'Services',
  'review.loadBalancers': 'Load balancers',
  'review.nodePorts': 'Node ports',
  'review.secrets': 'Secrets',
  'review.configMaps': 'ConfigMaps',
  'review.departmentQuota': 'Quota por departamento',
  'review.department': 'Departamento',
  'review.namespace': 'Namespace',
  'review.usersPerDepartment': 'Usuários por departamento',
  'review.pvcs': 'PVCs',
  'review.storage': 'Armazenamento',
  'review.tenantTotal': 'Total da camada do tenant',
  'review.cost': 'Custo mensal estimado',
  'review.costRange': '{{low}} – {{high}} por mês',
  'review.costExplanation':
    'Baixo: departamentos usando metade da quota; alto: a quota inteira. Inclui o control plane e a parcela da plataforma compartilhada.',
  'review.controlPlaneCost': 'Control plane',
  'review.tenantCompute': 'Computação dos departamentos',
  'review.storageCost': 'Armazenamento',
  'review.sharedPlatform': 'Parcela da plataforma compartilhada',
  'review.budget': 'Orçamento mensal',
  'review.withinBudget': 'A estimativa cabe no orçamento de {{budget}}.',
  'review.overBudget':
    'A estimativa alta ({{high}}) excede o orçamento de {{budget}}: revise os usuários diários, os departamentos ou o orçamento.',
  'review.noBudget': 'Nenhum orçamento informado ainda.',
  'slaCard.title': 'SLA do tenant',
  'slaCard.verdict': 'Resultado',
  'slaCard.met': 'cumprido',
  'slaCard.atRisk': 'em risco',
  'slaCard.breached': 'violado',
  'slaCard.unknown': 'desconhecido',
  'slaCard.indicator': 'Compromisso',
  'slaCard.target': 'Meta',
  'slaCard.measured': 'Medido',
  'slaCard.availability': 'Disponibilidade ({{window}})',
  'slaCard.budgetLeft': 'Orçamento de erros restante: {{percent}}',
  'slaCard.latency': 'Latência: requisições em até {{seconds}} s',
  'slaCard.imprecise':
    'impreciso (nenhum bucket do histograma na meta); p95 interpolado {{p95}} s',
  'slaCard.throughput': 'Capacidade',
  'slaCard.peak': 'Pico observado {{rps}} req/s',
  'slaCard.heldAtPeak': 'disponibilidade e latência mantidas no pico',
  'slaCard.notHeldAtPeak':
    'disponibilidade ou latência não se mantiveram no pico',
  'slaCard.capacityMet': 'cumprida (evidência de teste de carga)',
  'slaCard.capacityNotMet': 'não cumprida (evidência de teste de carga)',
  'slaCard.capacityNotMeasured': 'não medida',
  'slaCard.alert': 'Alerta de taxa de consumo',
  'slaCard.alertPage': 'página: o orçamento está sendo consumido rápido',
  'slaCard.alertTicket': 'chamado: o orçamento está sendo consumido',
  'slaCard.alertOk': 'nenhum',
  'slaCard.alertUnknown': 'sem tráfego',
  'slaCard.noData': 'sem tráfego',
  'slaCard.report': 'Relatório mensal ({{period}})',
  'slaCard.stale':
    'O Prometheus não respondeu: mostrando os últimos valores conhecidos, de {{asOf}}.',
  'slaCard.asOf': 'Em {{asOf}}',
  'slaCard.notPermitted': 'Você não tem permissão para ver o SLA deste tenant.',
  'slaCard.notFound': 'Este tenant não é conhecido pela API de tenants.',
  'slaCard.errorTitle': 'Não foi possível carregar o SLA do tenant',
  'slaCard.column': 'SLA',
  'slaCard.historyTitle': 'Histórico de SLA',
  'slaCard.historyMonth': 'Mês',
  'slaCard.historyAvailability': 'Disponibilidade',
  'slaCard.historyLatency': 'Em até {{seconds}} s',
  'slaCard.historyBudget': 'Orçamento de erros consumido',
  'slaCard.historyBreaches': 'Violações',
  'slaCard.historyRunning': '{{period}} (até agora)',
  'slaCard.historyCaption':
    'Meses do calendário em {{timeZone}}; metas: disponibilidade {{availability}}, 95 % das requisições em até {{seconds}} s.',
  'slaCard.historyEmpty': 'Ainda não há histórico de SLA.',
  'slaCard.historyNotPermitted':
    'Você não tem permissão para ver o histórico de SLA deste tenant.',
  'slaCard.historyErrorTitle':
    'Não foi possível carregar o histórico de SLA do tenant',
  'slaCard.historyStale':
    'O Prometheus não respondeu: alguns meses mostram os últimos valores conhecidos, de {{asOf}}.',
  'tenantCard.title': 'Isolamento do tenant',
  'tenantCard.phase': 'Fase',
  'tenantCard.version': 'Versão do Kubernetes',
  'tenantCard.endpoint': 'Endpoint da API',
  'tenantCard.score': 'Nota de isolamento',
  'tenantCard.scoreValue':
    '{{percent}} % ({{passed}} de {{total}} verificações aprovadas)',
  'tenantCard.quota': 'Uso da cota (namespace de gestão)',
  'tenantCard.checks': 'Verificações',
  'tenantCard.layerManagement': 'Cluster de gestão',
  'tenantCard.layerTenant': 'Cluster do tenant',
  'tenantCard.resultPass': 'aprovada',
  'tenantCard.resultFail': 'reprovada',
  'tenantCard.resultUnknown': 'desconhecida',
  'tenantCard.asOf': 'Em {{asOf}}',
  'tenantCard.stale':
    'O cluster não respondeu: mostrando os últimos valores conhecidos, de {{asOf}}.',
  'tenantCard.notPermitted':
    'Você não tem permissão para ver o estado e o isolamento deste tenant.',
  'tenantCard.notFound': 'Este tenant não é conhecido pela API de tenants.',
  'tenantCard.empty': 'Nenhuma verificação de isolamento ainda.',
  'tenantCard.errorTitle': 'Não foi possível carregar o tenant',
  'tenantCard.pending': 'O control plane ainda não reportou.',
  'tenantCard.none': '—',
  'tenantContent.title': 'Tenant',
  'tenantContent.controlPlane': 'Control plane',
  'tenantContent.replicas': 'Réplicas prontas',
  'tenantContent.dataStore': 'DataStore',
  'tenantContent.schema': 'Schema',
  'tenantContent.age': 'Idade',
  'tenantContent.conditions': 'Condições do Deployment',
};

export default ptBR;
