import {
  appLanguageApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import { TenantCost } from '@prontuario/plugin-hospital-tenants-common';
import { CostChart } from '../CostChart';
import { formatBrl, formatDecimal } from './money';
import { tenantCostTranslationRef } from './translation';
import { useTenantCost } from './useTenantCost';

/** The card's body for a loaded cost (exported for tests). */
export function TenantCostView({ cost }: { cost: TenantCost }) {
  const { t } = useTranslationRef(tenantCostTranslationRef);
  const language = useApi(appLanguageApiRef).getLanguage().language;
  const money = (n: number) => formatBrl(n, language);
  const date = (iso: string) =>
    new Date(iso).toLocaleString(language.startsWith('pt') ? 'pt-BR' : 'en-US');
  const percent = (n: number | null) =>
    n === null ? '—' : `${Math.round(n * 100)} %`;
  const budget = cost.budget;
  const status = budget?.forecastStatus;
  return (
    <Box>
      <Typography variant="overline">
        {t('monthToDate', { period: cost.monthToDate.period })}
      </Typography>
      <Typography variant="h4" data-testid="month-to-date">
        {money(cost.monthToDate.total)}
      </Typography>
      {budget ? (
        <Box my={1}>
          <LinearProgress
            variant="determinate"
            value={Math.min(100, budget.forecastPercent)}
            color={status === 'under' ? 'primary' : 'secondary'}
            aria-label={t('ofBudget', {
              percent: formatDecimal(budget.forecastPercent, language),
              budget: money(budget.monthlyBrl),
            })}
          />
          <Typography variant="body2">
            {status ? `${t(`status.${status}` as 'status.under')} · ` : ''}
            {t('ofBudget', {
              percent: formatDecimal(budget.forecastPercent, language),
              budget: money(budget.monthlyBrl),
            })}
          </Typography>
        </Box>
      ) : (
        <Typography variant="body2">{t('noBudget')}</Typography>
      )}
      <Table size="small">
        <TableBody>
          <TableRow>
            <TableCell>{t('forecast')}</TableCell>
            <TableCell align="right" title={cost.forecast.method}>
              {money(cost.forecast.total)}
            </TableCell>
          </TableRow>
          <TableRow>
            <TableCell>
              {t('previousMonth', { period: cost.previousMonth.period })}
            </TableCell>
            <TableCell align="right" data-testid="previous-month">
              {money(cost.previousMonth.total)}
            </TableCell>
          </TableRow>
          {cost.costPerDailyUser && (
            <TableRow>
              <TableCell>{t('perDailyUser')}</TableCell>
              <TableCell align="right">
                {money(cost.costPerDailyUser.forecast)}
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
      <Typography variant="subtitle2" component="h3" style={{ marginTop: 16 }}>
        {t('breakdown')}
      </Typography>
      <Table size="small" aria-label={t('breakdown')}>
        <TableBody>
          {(['compute', 'storage', 'network', 'shared'] as const).map(k => (
            <TableRow key={k}>
              <TableCell>{t(`category.${k}` as 'category.compute')}</TableCell>
              <TableCell align="right">
                {money(cost.monthToDate.breakdown[k])}
              </TableCell>
            </TableRow>
          ))}
          {(['workloads', 'controlPlane', 'platformShare'] as const).map(k => (
            <TableRow key={k}>
              <TableCell>
                <em>{t(`component.${k}` as 'component.workloads')}</em>
              </TableCell>
              <TableCell align="right">
                {money(cost.monthToDate.components[k])}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {cost.efficiency && (
        <Typography variant="body2">
          {t('efficiency', {
            cpu: percent(cost.efficiency.cpu),
            ram: percent(cost.efficiency.ram),
          })}
        </Typography>
      )}
      <Typography variant="subtitle2" component="h3" style={{ marginTop: 16 }}>
        {t('trend')}
      </Typography>
      <CostChart
        kind="line"
        title={t('trend')}
        labelHeader={t('day')}
        valueHeader={t('amount')}
        points={cost.daily.map(d => ({ label: d.day, value: d.total }))}
        format={money}
        reverseTable
        tableMaxHeight={200}
      />
      <Typography variant="subtitle2" component="h3" style={{ marginTop: 16 }}>
        {cost.savings.available
          ? t('savings', { total: money(cost.savings.monthlyTotal ?? 0) })
          : t('noSavings', { reason: cost.savings.reason ?? '' })}
      </Typography>
      {cost.savings.available && cost.savings.top && (
        <Table size="small">
          <TableBody>
            {cost.savings.top.map(r => (
              <TableRow key={`${r.namespace}/${r.controller}/${r.container}`}>
                <TableCell>
                  {r.namespace}/{r.controller}/{r.container}
                </TableCell>
                <TableCell align="right">{money(r.monthlySavings)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Typography variant="caption" color="textSecondary">
        {cost.asOf
          ? t(cost.stale ? 'stale' : 'asOf', { asOf: date(cost.asOf) })
          : ''}
      </Typography>
    </Box>
  );
}

/**
 * "Tenant cost": month to date against budget, forecast, previous month,
 * cost per daily user, breakdown and attribution, daily trend (a chart
 * with its table),
 * top savings. Needs `hospital-tenants.cost.read` on the tenant.
 *
 * @public
 */
export function TenantCostCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(tenantCostTranslationRef);
  const result = useTenantCost(entity.metadata.name);
  return (
    <InfoCard title={t('title')}>
      {result.state === 'loading' && <Progress aria-label={t('loading')} />}
      {result.state === 'forbidden' && (
        <Typography>{t('notPermitted')}</Typography>
      )}
      {result.state === 'error' && (
        <Typography color="error">
          {t('error', { message: result.message })}
        </Typography>
      )}
      {result.state === 'loaded' && <TenantCostView cost={result.cost} />}
    </InfoCard>
  );
}
