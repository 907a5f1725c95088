import {
  appLanguageApiRef,
  discoveryApiRef,
  fetchApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { Content, InfoCard, Link, Progress } from '@backstage/core-components';
import {
  Box,
  Button,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  CostSummary,
  costSummarySchema,
} from '@prontuario/plugin-hospital-tenants-common';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CostChart } from '../CostChart';
import { formatBrl, formatPercent } from '../TenantCostCard/money';
import { tenantCostTranslationRef } from '../TenantCostCard/translation';
import {
  SlaVerdictCell,
  SlaVerdictHeaderCell,
  useSlaVerdicts,
} from '../TenantSlaVerdict';

type State =
  | { state: 'loading' }
  | { state: 'loaded'; summary: CostSummary }
  | { state: 'error'; message: string };

async function errorOf(response: Response): Promise<Error> {
  const body = await response.json().catch(() => undefined);
  return new Error(
    body?.error?.message ?? `${response.status} ${response.statusText}`,
  );
}

/**
 * The executive cost dashboard at `/hospital-tenants`: the chosen month
 * (`?period=YYYY-MM`, default the last complete one), total and growth,
 * the tenants the user may see with cost, share and budget status (linking
 * to their pages), budget alerts, drivers, savings, and the CSV for
 * chargeback (fetched with the user's credentials).
 *
 * @public
 */
export function CostDashboardPage() {
  const { t } = useTranslationRef(tenantCostTranslationRef);
  const language = useApi(appLanguageApiRef).getLanguage().language;
  const discovery = useApi(discoveryApiRef);
  const { fetch } = useApi(fetchApiRef);
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? '';
  const [result, setResult] = useState<State>({ state: 'loading' });
  const slaVerdicts = useSlaVerdicts();
  const money = (n: number | null) =>
    n === null ? '—' : formatBrl(n, language);
  const pct = (n: number | null) =>
    n === null
      ? '—'
      : `${n > 0 ? '+' : ''}${n.toLocaleString(
          language.startsWith('pt') ? 'pt-BR' : 'en-US',
        )} %`;

  useEffect(() => {
    let cancelled = false;
    setResult({ state: 'loading' });
    (async () => {
      const base = await discovery.getBaseUrl('hospital-tenants');
      const query = period ? `?period=${encodeURIComponent(period)}` : '';
      const response = await fetch(`${base}/costs/summary${query}`);
      if (!response.ok) throw await errorOf(response);
      return costSummarySchema.parse(await response.json());
    })().then(
      summary => !cancelled && setResult({ state: 'loaded', summary }),
      error =>
        !cancelled &&
        setResult({ state: 'error', message: String(error?.message ?? error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [discovery, fetch, period]);

  async function downloadCsv(summary: CostSummary) {
    const base = await discovery.getBaseUrl('hospital-tenants');
    const dialect = language.startsWith('pt') ? 'pt-BR' : 'en';
    const response = await fetch(
      `${base}/costs/summary?period=${summary.period}&dialect=${dialect}`,
      { headers: { accept: 'text/csv' } },
    );
    if (!response.ok) throw await errorOf(response);
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `custos-${summary.period}-${dialect}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <Content>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
        <Typography variant="h4" component="h1">
          {t('dashboard.title')}
        </Typography>
        <TextField
          type="month"
          label={t('dashboard.period')}
          value={
            period || (result.state === 'loaded' ? result.summary.period : '')
          }
          onChange={e => setParams({ period: e.target.value })}
          InputLabelProps={{ shrink: true }}
        />
        {result.state === 'loaded' && (
          <Button
            variant="outlined"
            onClick={() => downloadCsv(result.summary).catch(() => undefined)}
          >
            {t('dashboard.downloadCsv')}
          </Button>
        )}
      </Box>
      {result.state === 'loading' && <Progress />}
      {result.state === 'error' && (
        <Typography color="error">
          {t('error', { message: result.message })}
        </Typography>
      )}
      {result.state === 'loaded' && (
        <Grid container spacing={2}>
          <Grid item xs={12} md={4}>
            <InfoCard
              title={t('dashboard.total', { period: result.summary.period })}
            >
              <Typography variant="h4" data-testid="dashboard-total">
                {money(result.summary.total)}
              </Typography>
              <Typography variant="body2">
                {t('dashboard.growth', {
                  growth: pct(result.summary.growthPercent),
                  previous: result.summary.previousPeriod,
                })}
              </Typography>
              <Typography variant="body2">
                {result.summary.savings.available
                  ? t('dashboard.savings', {
                      total: money(result.summary.savings.monthlyTotal ?? 0),
                    })
                  : t('noSavings', {
                      reason: result.summary.savings.reason ?? '',
                    })}
              </Typography>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={8}>
            <InfoCard title={t('dashboard.alerts')}>
              {result.summary.tenants.filter(
                x => x.budgetStatus && x.budgetStatus !== 'under',
              ).length === 0 ? (
                <Typography>{t('dashboard.noAlerts')}</Typography>
              ) : (
                result.summary.tenants
                  .filter(x => x.budgetStatus && x.budgetStatus !== 'under')
                  .map(x => (
                    <Typography
                      key={x.tenantId}
                      color={
                        x.budgetStatus === 'over' ? 'error' : 'textPrimary'
                      }
                    >
                      {x.displayName ?? x.tenantId}:{' '}
                      {t(`status.${x.budgetStatus}` as 'status.over')} (
                      {money(x.total)} / {money(x.monthlyBudgetBrl)})
                    </Typography>
                  ))
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard>
              {result.summary.tenants.length === 0 ? (
                <Typography>{t('dashboard.empty')}</Typography>
              ) : (
                <Table size="small" aria-label={t('dashboard.title')}>
                  <TableHead>
                    <TableRow>
                      <TableCell>{t('dashboard.tenant')}</TableCell>
                      <TableCell align="right">{t('dashboard.cost')}</TableCell>
                      <TableCell align="right">
                        {t('dashboard.share')}
                      </TableCell>
                      <TableCell align="right">
                        {t('previousMonth', {
                          period: result.summary.previousPeriod,
                        })}
                      </TableCell>
                      <TableCell align="right">
                        {t('dashboard.budget')}
                      </TableCell>
                      <TableCell>{t('dashboard.budgetStatus')}</TableCell>
                      <SlaVerdictHeaderCell verdicts={slaVerdicts} />
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {result.summary.tenants.map(x => (
                      <TableRow
                        key={x.tenantId}
                        data-testid={`tenant-${x.tenantId}`}
                      >
                        <TableCell>
                          <Link to={`/catalog/default/resource/${x.tenantId}`}>
                            {x.displayName ?? x.tenantId}
                          </Link>
                        </TableCell>
                        <TableCell align="right">{money(x.total)}</TableCell>
                        <TableCell align="right">
                          {x.sharePercent === null
                            ? '—'
                            : formatPercent(x.sharePercent, language)}
                        </TableCell>
                        <TableCell align="right">
                          {money(x.previousTotal)}
                        </TableCell>
                        <TableCell align="right">
                          {money(x.monthlyBudgetBrl)}
                        </TableCell>
                        <TableCell>
                          {x.budgetStatus
                            ? t(`status.${x.budgetStatus}` as 'status.over')
                            : '—'}
                        </TableCell>
                        <SlaVerdictCell
                          verdicts={slaVerdicts}
                          tenantId={x.tenantId}
                        />
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard
              title={t('charts.perTenant', { period: result.summary.period })}
            >
              <CostChart
                kind="bar"
                title={t('charts.perTenant', {
                  period: result.summary.period,
                })}
                labelHeader={t('dashboard.tenant')}
                valueHeader={t('dashboard.cost')}
                points={result.summary.tenants.map(x => ({
                  label: x.displayName ?? x.tenantId,
                  value: x.total,
                }))}
                format={n => money(n)}
                extra={{
                  header: t('dashboard.share'),
                  cell: (_, i) => {
                    const share = result.summary.tenants[i].sharePercent;
                    return share === null
                      ? '—'
                      : formatPercent(share, language);
                  },
                }}
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard title={t('dashboard.drivers')}>
              <Table size="small">
                <TableBody>
                  {result.summary.drivers.map(d => (
                    <TableRow key={`${d.tenantId}/${d.category}`}>
                      <TableCell>{d.tenantId}</TableCell>
                      <TableCell>
                        {t(`category.${d.category}` as 'category.compute')}
                      </TableCell>
                      <TableCell align="right">{money(d.delta)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </InfoCard>
          </Grid>
        </Grid>
      )}
    </Content>
  );
}
