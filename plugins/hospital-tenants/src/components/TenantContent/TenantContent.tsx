import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { TenantStatus } from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsTranslationRef } from '../../translation';
import { TenantCostHistory } from '../TenantCostHistory';
import {
  TenantDataState,
  TenantIsolationDetails,
  useTenantData,
} from '../TenantIsolationCard';
import { TenantSlaHistory } from '../TenantSlaHistory';

function age(seconds: number | null): string | undefined {
  if (seconds === null) return undefined;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

function ControlPlane({ status }: { status: TenantStatus }) {
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const none = t('tenantCard.none');
  const rows: Array<[string, string]> = [
    [t('tenantCard.phase'), status.phase],
    [
      t('tenantCard.version'),
      status.version.observed ?? status.version.desired ?? none,
    ],
    [t('tenantCard.endpoint'), status.endpoint ?? none],
    [
      t('tenantContent.replicas'),
      `${status.replicas.ready ?? none} / ${status.replicas.desired ?? none}`,
    ],
    [
      t('tenantContent.dataStore'),
      `${status.dataStore.name ?? none} (${status.dataStore.driver ?? none})`,
    ],
    [t('tenantContent.schema'), status.dataStore.schema ?? none],
    [t('tenantContent.age'), age(status.ageSeconds) ?? none],
  ];
  return (
    <InfoCard title={t('tenantContent.controlPlane')}>
      {rows.map(([label, value]) => (
        <Typography key={label} variant="body2">
          <strong>{label}:</strong> {value}
        </Typography>
      ))}
      <Typography variant="subtitle2" style={{ marginTop: 16 }}>
        {t('tenantContent.conditions')}
      </Typography>
      {status.conditions.map(c => (
        <Typography key={c.type} variant="body2">
          {c.type}: {c.status}
          {c.message ? ` (${c.message})` : ''}
        </Typography>
      ))}
    </InfoCard>
  );
}

/**
 * The "Tenant" tab of a tenant entity: its control plane in detail and its
 * isolation posture.
 *
 * @public
 */
export function TenantContent() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const data = useTenantData(entity.metadata.name);
  return (
    <TenantDataState data={data}>
      {(status, isolation) => (
        <Grid container spacing={3}>
          <Grid item xs={12} md={5}>
            <ControlPlane status={status} />
          </Grid>
          <Grid item xs={12} md={7}>
            <InfoCard title={t('tenantCard.title')}>
              <TenantIsolationDetails status={status} isolation={isolation} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <TenantCostHistory tenantId={entity.metadata.name} />
          </Grid>
          <Grid item xs={12}>
            <TenantSlaHistory />
          </Grid>
        </Grid>
      )}
    </TenantDataState>
  );
}
