import { Fragment } from 'react';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type {
  IsolationCheck,
  TenantIsolation,
  TenantStatus,
} from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsTranslationRef } from '../../translation';
import {
  serverMessageOf,
  statusCodeOf,
  TenantData,
  useTenantData,
} from './useTenantData';

function ResultChip({ result }: { result: IsolationCheck['result'] }) {
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const label = {
    pass: t('tenantCard.resultPass'),
    fail: t('tenantCard.resultFail'),
    unknown: t('tenantCard.resultUnknown'),
  }[result];
  const color = {
    pass: 'primary',
    fail: 'secondary',
    unknown: 'default',
  } as const;
  return (
    <Chip
      size="small"
      label={label}
      color={color[result]}
      data-result={result}
    />
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Box mr={3} mb={1}>
      <Typography variant="caption" color="textSecondary">
        {label}
      </Typography>
      <Typography variant="body2">{value}</Typography>
    </Box>
  );
}

/** The card's body once loaded; shared with the "Tenant" tab. */
export function TenantIsolationDetails(props: {
  status: TenantStatus;
  isolation: TenantIsolation;
}) {
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const { status, isolation } = props;
  const none = t('tenantCard.none');
  const stale = status.stale || isolation.stale;
  const asOf = [status.asOf, isolation.asOf].sort()[0];
  const layers: Array<[IsolationCheck['layer'], string]> = [
    ['management', t('tenantCard.layerManagement')],
    ['tenant', t('tenantCard.layerTenant')],
  ];
  return (
    <>
      {stale && (
        <Box mb={2}>
          <WarningPanel
            severity="warning"
            title={t('tenantCard.stale', {
              asOf: new Date(asOf).toLocaleString(),
            })}
          />
        </Box>
      )}
      <Box display="flex" flexWrap="wrap">
        <Fact label={t('tenantCard.phase')} value={status.phase} />
        <Fact
          label={t('tenantCard.version')}
          value={status.version.observed ?? status.version.desired ?? none}
        />
        <Fact
          label={t('tenantCard.endpoint')}
          value={status.endpoint ?? none}
        />
        <Fact
          label={t('tenantCard.score')}
          value={t('tenantCard.scoreValue', {
            percent: String(isolation.score.percent),
            passed: String(isolation.score.passed),
            total: String(isolation.score.total),
          })}
        />
      </Box>
      {status.phase === 'pending' && (
        <Typography variant="body2">{t('tenantCard.pending')}</Typography>
      )}
      {isolation.quota.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2">{t('tenantCard.quota')}</Typography>
          {isolation.quota.map(q => (
            <Box key={q.resource} mt={1}>
              <Typography variant="caption">
                {q.resource}: {q.used} / {q.hard}
                {q.percent === null ? '' : ` (${q.percent} %)`}
              </Typography>
              <LinearProgress
                variant="determinate"
                value={Math.min(100, q.percent ?? 0)}
                aria-label={`${q.resource} ${q.percent ?? 0} %`}
              />
            </Box>
          ))}
        </Box>
      )}
      <Box mt={2}>
        <Typography variant="subtitle2">{t('tenantCard.checks')}</Typography>
        {isolation.checks.length === 0 && (
          <Typography variant="body2">{t('tenantCard.empty')}</Typography>
        )}
        {layers.map(([layer, title]) => {
          const checks = isolation.checks.filter(c => c.layer === layer);
          if (checks.length === 0) return null;
          return (
            <Fragment key={layer}>
              <Typography variant="overline" component="h3">
                {title}
              </Typography>
              <ul
                aria-label={title}
                style={{ listStyle: 'none', paddingLeft: 0 }}
              >
                {checks.map(check => (
                  <li key={check.id} data-check={check.id}>
                    <Box display="flex" alignItems="center">
                      <ResultChip result={check.result} />
                      <Box ml={1}>
                        <Typography variant="body2">{check.title}</Typography>
                      </Box>
                    </Box>
                    <ul>
                      {check.evidence.map(line => (
                        <li key={line}>
                          <Typography variant="caption">{line}</Typography>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </Fragment>
          );
        })}
      </Box>
      {!stale && (
        <Typography variant="caption" color="textSecondary">
          {t('tenantCard.asOf', { asOf: new Date(asOf).toLocaleString() })}
        </Typography>
      )}
    </>
  );
}

/** Loading, error (the server's message), not-permitted and not-found states. */
export function TenantDataState(props: {
  data: TenantData;
  children: (status: TenantStatus, isolation: TenantIsolation) => JSX.Element;
}) {
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const { data } = props;
  if (data.state === 'loading') return <Progress />;
  if (data.state === 'error') {
    const code = statusCodeOf(data.error);
    if (code === 403) {
      return (
        <Typography variant="body2">{t('tenantCard.notPermitted')}</Typography>
      );
    }
    if (code === 404) {
      return (
        <Typography variant="body2">{t('tenantCard.notFound')}</Typography>
      );
    }
    return (
      <WarningPanel severity="error" title={t('tenantCard.errorTitle')}>
        {serverMessageOf(data.error)}
      </WarningPanel>
    );
  }
  return props.children(data.status, data.isolation);
}

/**
 * The "Tenant isolation" card of a tenant entity (`kind: Resource`,
 * `spec.type: hospital-tenant`): phase, version, endpoint, score, each check
 * with its evidence, and quota bars.
 *
 * @public
 */
export function TenantIsolationCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const data = useTenantData(entity.metadata.name);
  return (
    <InfoCard title={t('tenantCard.title')}>
      <TenantDataState data={data}>
        {(status, isolation) => (
          <TenantIsolationDetails status={status} isolation={isolation} />
        )}
      </TenantDataState>
    </InfoCard>
  );
}
