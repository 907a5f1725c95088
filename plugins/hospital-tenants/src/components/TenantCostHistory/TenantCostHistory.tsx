import { InfoCard, Progress } from '@backstage/core-components';
import {
  appLanguageApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { TenantCost } from '@prontuario/plugin-hospital-tenants-common';
import { CostChart } from '../CostChart';
import { formatBrl } from '../TenantCostCard/money';
import { tenantCostTranslationRef } from '../TenantCostCard/translation';
import { useTenantCost } from '../TenantCostCard/useTenantCost';

/** The monthly history of a loaded cost (exported for tests). */
export function TenantCostHistoryView({ cost }: { cost: TenantCost }) {
  const { t } = useTranslationRef(tenantCostTranslationRef);
  const language = useApi(appLanguageApiRef).getLanguage().language;
  const money = (n: number) => formatBrl(n, language);
  if (cost.monthly.length === 0) {
    return <Typography>{t('history.empty')}</Typography>;
  }
  const label = (m: TenantCost['monthly'][number]) =>
    m.complete ? m.period : t('history.current', { period: m.period });
  return (
    <CostChart
      kind="bar"
      title={t('history.title')}
      labelHeader={t('history.month')}
      valueHeader={t('amount')}
      points={cost.monthly.map(m => ({ label: label(m), value: m.total }))}
      format={money}
      reference={
        cost.budget
          ? { value: cost.budget.monthlyBrl, label: t('charts.budget') }
          : undefined
      }
      extra={{
        header: t('history.status'),
        cell: (_, i) => {
          const status = cost.monthly[i].budgetStatus;
          return status ? t(`status.${status}` as 'status.under') : '—';
        },
      }}
      reverseTable
    />
  );
}

/**
 * The tenant's monthly cost (up to 12 months and the current one, from the
 * plugin's daily snapshots) against its budget, on the "Tenant" tab. Needs
 * `hospital-tenants.cost.read` on the tenant.
 *
 * @public
 */
export function TenantCostHistory(props: { tenantId: string }) {
  const { t } = useTranslationRef(tenantCostTranslationRef);
  const result = useTenantCost(props.tenantId);
  return (
    <InfoCard title={t('history.title')}>
      {result.state === 'loading' && <Progress aria-label={t('loading')} />}
      {result.state === 'forbidden' && (
        <Typography>{t('notPermitted')}</Typography>
      )}
      {result.state === 'error' && (
        <Typography color="error">
          {t('error', { message: result.message })}
        </Typography>
      )}
      {result.state === 'loaded' && (
        <TenantCostHistoryView cost={result.cost} />
      )}
    </InfoCard>
  );
}
