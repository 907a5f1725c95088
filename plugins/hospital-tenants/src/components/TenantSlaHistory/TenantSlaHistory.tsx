import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  SLA_HISTORY_DEFAULT_MONTHS,
  TenantSlaHistory as History,
} from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsTranslationRef } from '../../translation';
import {
  serverMessageOf,
  statusCodeOf,
} from '../TenantIsolationCard/useTenantData';
import { SlaVerdictChip } from '../TenantSlaVerdict/SlaVerdictChip';
import { useTenantSlaHistory } from './useTenantSlaHistory';

const percent = (v: number | null, digits: number) =>
  v === null ? null : `${(v * 100).toFixed(digits).replace(/\.?0+$/, '')} %`;

/** The loaded history: one row per month, the running month first. */
export function TenantSlaHistoryTable({ history }: { history: History }) {
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const none = t('slaCard.noData');
  const seconds = String(history.targets.p95Seconds);
  return (
    <>
      {history.stale && (
        <Box mb={2}>
          <WarningPanel
            severity="warning"
            title={t('slaCard.historyStale', {
              asOf: new Date(history.asOf).toLocaleString(),
            })}
          />
        </Box>
      )}
      <Table size="small" aria-label={t('slaCard.historyTitle')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('slaCard.historyMonth')}</TableCell>
            <TableCell align="right">
              {t('slaCard.historyAvailability')}
            </TableCell>
            <TableCell align="right">
              {t('slaCard.historyLatency', { seconds })}
            </TableCell>
            <TableCell align="right">{t('slaCard.historyBudget')}</TableCell>
            <TableCell align="right">{t('slaCard.historyBreaches')}</TableCell>
            <TableCell>{t('slaCard.verdict')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {history.months.map((month, i) => (
            <TableRow key={month.period} data-period={month.period}>
              <TableCell>
                {i === 0
                  ? t('slaCard.historyRunning', { period: month.period })
                  : month.period}
              </TableCell>
              <TableCell align="right">
                {percent(month.availability, 3) ?? none}
              </TableCell>
              <TableCell align="right">
                {percent(month.latencyShareWithinTarget, 2) ?? none}
              </TableCell>
              <TableCell align="right">
                <Typography
                  variant="body2"
                  component="span"
                  color={
                    month.budgetConsumed !== null && month.budgetConsumed > 1
                      ? 'error'
                      : 'inherit'
                  }
                >
                  {percent(month.budgetConsumed, 1) ?? none}
                </Typography>
              </TableCell>
              <TableCell align="right">{month.breaches}</TableCell>
              <TableCell>
                <SlaVerdictChip verdict={month.verdict} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box mt={1}>
        <Typography variant="caption" color="textSecondary">
          {t('slaCard.historyCaption', {
            timeZone: history.timeZone,
            availability: percent(history.targets.availability, 3) ?? '',
            seconds,
          })}
        </Typography>
      </Box>
    </>
  );
}

/**
 * The SLA history on a tenant's "Tenant" tab: the last months'
 * availability, latency share, error budget consumed, breaches and verdict
 * (`GET /tenants/{tenantId}/sla/history`, `hospital-tenants.sla.read`).
 *
 * @public
 */
export function TenantSlaHistory(props: { months?: number }) {
  const { entity } = useEntity();
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const data = useTenantSlaHistory(
    entity.metadata.name,
    props.months ?? SLA_HISTORY_DEFAULT_MONTHS,
  );
  let body;
  if (data.state === 'loading') {
    body = <Progress />;
  } else if (data.state === 'error') {
    const code = statusCodeOf(data.error);
    if (code === 403) {
      body = (
        <Typography variant="body2">
          {t('slaCard.historyNotPermitted')}
        </Typography>
      );
    } else if (code === 404) {
      body = <Typography variant="body2">{t('slaCard.notFound')}</Typography>;
    } else {
      body = (
        <WarningPanel
          severity="error"
          title={t('slaCard.historyErrorTitle')}
          message={serverMessageOf(data.error)}
        />
      );
    }
  } else if (
    data.history.months.every(
      m => m.availability === null && m.latencyShareWithinTarget === null,
    )
  ) {
    body = <Typography variant="body2">{t('slaCard.historyEmpty')}</Typography>;
  } else {
    body = <TenantSlaHistoryTable history={data.history} />;
  }
  return <InfoCard title={t('slaCard.historyTitle')}>{body}</InfoCard>;
}
