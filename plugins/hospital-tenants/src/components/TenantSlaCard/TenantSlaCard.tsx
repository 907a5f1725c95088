import { useEffect, useState } from 'react';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { TenantSla } from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsApiRef } from '../../api';
import { hospitalTenantsTranslationRef } from '../../translation';
import { SlaVerdictChip } from '../TenantSlaVerdict/SlaVerdictChip';
import {
  serverMessageOf,
  statusCodeOf,
} from '../TenantIsolationCard/useTenantData';

type SlaData =
  | { state: 'loading' }
  | { state: 'error'; error: Error }
  | { state: 'loaded'; sla: TenantSla };

/** The current month, YYYY-MM, in the browser's time zone. */
export function currentPeriod(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

function useTenantSla(tenantId: string): SlaData {
  const api = useApi(hospitalTenantsApiRef);
  const [data, setData] = useState<SlaData>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setData({ state: 'loading' });
    if (!api.getTenantSla) {
      setData({
        state: 'error',
        error: new Error('This portal has no tenant SLA API'),
      });
      return undefined;
    }
    api
      .getTenantSla(tenantId)
      .then(sla => !cancelled && setData({ state: 'loaded', sla }))
      .catch(
        (error: Error) => !cancelled && setData({ state: 'error', error }),
      );
    return () => {
      cancelled = true;
    };
  }, [api, tenantId]);
  return data;
}

/** The loaded card body. */
export function TenantSlaDetails({ sla }: { sla: TenantSla }) {
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const api = useApi(hospitalTenantsApiRef);
  const pct = (v: number | null, digits = 3) =>
    v === null
      ? t('slaCard.noData')
      : `${(v * 100).toFixed(digits).replace(/\.?0+$/, '')} %`;
  const alert = {
    page: t('slaCard.alertPage'),
    ticket: t('slaCard.alertTicket'),
    ok: t('slaCard.alertOk'),
    unknown: t('slaCard.alertUnknown'),
  }[sla.alert];
  const capacity = {
    met: t('slaCard.capacityMet'),
    'not-met': t('slaCard.capacityNotMet'),
    'not-measured': t('slaCard.capacityNotMeasured'),
  }[sla.throughput.capacity];
  const period = currentPeriod();
  const openReport = async () => {
    if (!api.getTenantSlaReportHtml) return;
    const html = await api.getTenantSlaReportHtml(sla.tenantId, period);
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
  };
  let peakNote = '';
  if (sla.throughput.heldAtPeak !== null) {
    peakNote = sla.throughput.heldAtPeak
      ? t('slaCard.heldAtPeak')
      : t('slaCard.notHeldAtPeak');
  }
  return (
    <>
      {sla.stale && (
        <Box mb={2}>
          <WarningPanel
            severity="warning"
            title={t('slaCard.stale', {
              asOf: new Date(sla.asOf).toLocaleString(),
            })}
          />
        </Box>
      )}
      <Box display="flex" alignItems="center" mb={1}>
        <Typography variant="subtitle2" style={{ marginRight: 8 }}>
          {t('slaCard.verdict')}
        </Typography>
        <SlaVerdictChip verdict={sla.verdict} />
      </Box>
      <Typography variant="body2" data-alert={sla.alert}>
        {t('slaCard.alert')}: {alert}
      </Typography>
      <Table size="small" aria-label={t('slaCard.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('slaCard.indicator')}</TableCell>
            <TableCell>{t('slaCard.target')}</TableCell>
            <TableCell>{t('slaCard.measured')}</TableCell>
            <TableCell>{t('slaCard.verdict')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <TableRow data-indicator="availability">
            <TableCell>
              {t('slaCard.availability', { window: sla.window })}
            </TableCell>
            <TableCell>{pct(sla.availability.target)}</TableCell>
            <TableCell>
              {pct(sla.availability.value)}
              <br />
              <Typography variant="caption">
                {t('slaCard.budgetLeft', {
                  percent: pct(sla.availability.errorBudgetLeft, 1),
                })}
              </Typography>
            </TableCell>
            <TableCell>
              <SlaVerdictChip verdict={sla.availability.verdict} />
            </TableCell>
          </TableRow>
          <TableRow data-indicator="latency">
            <TableCell>
              {t('slaCard.latency', {
                seconds: String(sla.latency.targetSeconds),
              })}
            </TableCell>
            <TableCell>95 %</TableCell>
            <TableCell>
              {pct(sla.latency.shareWithinTarget, 2)}
              {sla.latency.precision === 'imprecise' && (
                <>
                  <br />
                  <Typography variant="caption">
                    {t('slaCard.imprecise', {
                      p95:
                        sla.latency.p95Seconds === null
                          ? '—'
                          : sla.latency.p95Seconds.toFixed(3),
                    })}
                  </Typography>
                </>
              )}
            </TableCell>
            <TableCell>
              <SlaVerdictChip verdict={sla.latency.verdict} />
            </TableCell>
          </TableRow>
          <TableRow data-indicator="throughput">
            <TableCell>{t('slaCard.throughput')}</TableCell>
            <TableCell>{sla.throughput.targetRps} req/s</TableCell>
            <TableCell>
              {sla.throughput.peakRps === null
                ? t('slaCard.noData')
                : t('slaCard.peak', {
                    rps: sla.throughput.peakRps.toFixed(1),
                  })}
              {peakNote && (
                <>
                  <br />
                  <Typography variant="caption">{peakNote}</Typography>
                </>
              )}
            </TableCell>
            <TableCell>{capacity}</TableCell>
          </TableRow>
        </TableBody>
      </Table>
      <Box mt={1} display="flex" justifyContent="space-between">
        <Typography variant="caption" color="textSecondary">
          {t('slaCard.asOf', { asOf: new Date(sla.asOf).toLocaleString() })}
        </Typography>
        {api.getTenantSlaReportHtml && (
          <Button size="small" color="primary" onClick={openReport}>
            {t('slaCard.report', { period })}
          </Button>
        )}
      </Box>
    </>
  );
}

/**
 * The "Tenant SLA" card of a tenant entity: each target with its verdict,
 * the error budget left, the burn-rate alert state and the monthly report.
 *
 * @public
 */
export function TenantSlaCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const data = useTenantSla(entity.metadata.name);
  let body;
  if (data.state === 'loading') {
    body = <Progress />;
  } else if (data.state === 'error') {
    const code = statusCodeOf(data.error);
    if (code === 403) {
      body = (
        <Typography variant="body2">{t('slaCard.notPermitted')}</Typography>
      );
    } else if (code === 404) {
      body = <Typography variant="body2">{t('slaCard.notFound')}</Typography>;
    } else {
      body = (
        <WarningPanel
          severity="error"
          title={t('slaCard.errorTitle')}
          message={serverMessageOf(data.error)}
        />
      );
    }
  } else {
    body = <TenantSlaDetails sla={data.sla} />;
  }
  return <InfoCard title={t('slaCard.title')}>{body}</InfoCard>;
}
