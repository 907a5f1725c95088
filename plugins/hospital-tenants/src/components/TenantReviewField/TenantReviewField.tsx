import { ReactNode, useEffect, useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  appLanguageApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  formatCpu,
  formatMemory,
  formatStorage,
  ResourceSize,
} from '@prontuario/plugin-hospital-tenants-common';
import { reviewTenant, TenantReviewInput } from '../../lib/tenantReview';
import { useTenantFormConfig } from '../../lib/useTenantFormConfig';
import { hospitalTenantsTranslationRef } from '../../translation';
import { formatBrl as formatBrlFor } from '../TenantCostCard/money';

/** The name templates use: `ui:field: HospitalTenantReview`. @public */
export const TENANT_REVIEW_FIELD_NAME = 'HospitalTenantReview';

/**
 * The value the review field stores (shown on the scaffolder's own review
 * page; the provisioning action does not read it).
 *
 * @public
 */
export interface TenantReviewSummary {
  tier: string;
  monthlyLowBrl: number;
  monthlyHighBrl: number;
}

/**
 * Formats an amount in BRL for a language: `R$ 1.234,56` in pt-BR (the
 * default), `R$1,234.56` in English.
 */
export function formatBrl(amount: number, language = 'pt-BR'): string {
  return formatBrlFor(amount, language);
}

const resources = (size: ResourceSize) =>
  `${formatCpu(size.cpuMillicores)} / ${formatMemory(size.memoryMebibytes)}`;

function Row(props: { label: string; value: string; id: string }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        {props.label}
      </TableCell>
      <TableCell data-testid={`review-${props.id}`}>{props.value}</TableCell>
    </TableRow>
  );
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <>
      <Typography variant="h6" component="h3">
        {props.title}
      </Typography>
      <Table size="small" aria-label={props.title}>
        <TableBody>{props.children}</TableBody>
      </Table>
    </>
  );
}

/**
 * The review step: before anything runs, shows what will be created, the
 * sizing that will be applied (control-plane replicas and resources, the
 * management quota, the quota of every department) and the estimated
 * monthly cost against the budget, computed with the same functions as the
 * provisioning action.
 *
 * @public
 */
export const TenantReviewField = (
  props: FieldExtensionComponentProps<TenantReviewSummary | undefined>,
) => {
  const { formData, onChange, formContext } = props;
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  // money in the user's language, not always pt-BR
  const language = useApi(appLanguageApiRef).getLanguage().language;
  const brl = (amount: number) => formatBrl(amount, language);
  const { config, error } = useTenantFormConfig();
  const form = (formContext?.formData ?? {}) as TenantReviewInput;
  // the fields the review reads, as a value: the form object is new on
  // every render, the review changes only with these
  const inputKey = JSON.stringify({
    slug: form.slug,
    region: form.region,
    environment: form.environment,
    dailyUsers: form.dailyUsers,
    departments: form.departments,
    monthlyBudgetBrl: form.monthlyBudgetBrl,
  });
  const review = useMemo(
    () =>
      config
        ? reviewTenant(JSON.parse(inputKey) as TenantReviewInput, config)
        : undefined,
    [config, inputKey],
  );

  const summary: TenantReviewSummary | undefined = review?.ok
    ? {
        tier: review.sizing.tier,
        monthlyLowBrl: review.cost.monthlyLowBrl,
        monthlyHighBrl: review.cost.monthlyHighBrl,
      }
    : undefined;
  const summaryKey = JSON.stringify(summary ?? null);
  const storedKey = JSON.stringify(formData ?? null);
  // stores the summary whenever it differs from the stored value
  useEffect(() => {
    if (summaryKey !== storedKey) {
      onChange(JSON.parse(summaryKey) ?? undefined);
    }
  }, [summaryKey, storedKey, onChange]);

  if (!config || !review) {
    return (
      <Typography color="error" role="alert">
        {error === 'notConfigured'
          ? t('notConfigured')
          : t('configError', { error: String(error) })}
      </Typography>
    );
  }
  if (!review.ok) {
    const fields = review.missing
      .filter((f, i, all) => all.indexOf(f) === i)
      .map(f => t(`review.fields.${f}`))
      .join(', ');
    return (
      <Typography role="alert" data-testid="review-missing">
        {t('review.missing', { fields })}
      </Typography>
    );
  }

  const { sizing, cost } = review;
  const cp = sizing.controlPlane;
  const mq = sizing.management.quota;
  const dq = sizing.department.quota;
  const components: Array<[string, ResourceSize | undefined]> = [
    ['apiServer', cp.apiServer],
    ['controllerManager', cp.controllerManager],
    ['scheduler', cp.scheduler],
    ['kine', cp.kine],
    ['konnectivity-server', cp.konnectivityServer],
  ];
  const budget = form.monthlyBudgetBrl;
  let budgetMessage: string = t('review.noBudget');
  if (typeof budget === 'number' && review.withinBudget !== undefined) {
    budgetMessage = review.withinBudget
      ? t('review.withinBudget', { budget: brl(budget) })
      : t('review.overBudget', {
          budget: brl(budget),
          high: brl(cost.monthlyHighBrl),
        });
  }

  return (
    <Box marginY={1} data-testid="tenant-review">
      <Typography variant="h5" component="h2">
        {t('review.title')}
      </Typography>
      <Typography variant="body2" paragraph>
        {t('review.intro')}
      </Typography>

      <Section title={t('review.whatWillBeCreated')}>
        {review.entityRef && (
          <Row
            id="entity-ref"
            label={t('review.tenantEntity')}
            value={review.entityRef}
          />
        )}
        {review.managementNamespace && (
          <Row
            id="management-namespace"
            label={t('review.managementNamespace')}
            value={review.managementNamespace}
          />
        )}
        <Row
          id="data-store"
          label={t('review.dataStore')}
          value={`${review.dataStore} (${review.dataStoreDriver})`}
        />
        <Row id="tier" label={t('review.tier')} value={sizing.tier} />
      </Section>

      <Section title={t('review.controlPlane')}>
        <Row
          id="replicas"
          label={t('review.replicas')}
          value={String(cp.replicas)}
        />
        {components.map(([name, size]) =>
          size ? (
            <Row
              key={name}
              id={`component-${name}`}
              label={name}
              value={resources(size)}
            />
          ) : null,
        )}
        <Row
          id="pod-total"
          label={t('review.podTotal')}
          value={resources(cp.pod)}
        />
      </Section>

      <Section title={t('review.managementQuota')}>
        <Row
          id="management-quota-resources"
          label={`${t('review.cpu')} / ${t('review.memory')}`}
          value={`${formatCpu(mq.cpuMillicores)} / ${formatMemory(
            mq.memoryMebibytes,
          )}`}
        />
        <Row
          id="management-quota-objects"
          label={[
            t('review.pods'),
            t('review.services'),
            t('review.loadBalancers'),
            t('review.nodePorts'),
            t('review.secrets'),
            t('review.configMaps'),
          ].join(' / ')}
          value={[
            mq.pods,
            mq.services,
            mq.loadBalancers,
            mq.nodePorts,
            mq.secrets,
            mq.configMaps,
          ].join(' / ')}
        />
      </Section>

      <Typography variant="h6" component="h3">
        {t('review.departmentQuota')} ({t('review.usersPerDepartment')}:{' '}
        <span data-testid="review-users-per-department">
          {sizing.department.usersPerDepartment}
        </span>
        )
      </Typography>
      <Table size="small" aria-label={t('review.departmentQuota')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('review.department')}</TableCell>
            <TableCell>{t('review.namespace')}</TableCell>
            <TableCell>{t('review.cpu')}</TableCell>
            <TableCell>{t('review.memory')}</TableCell>
            <TableCell>{t('review.pods')}</TableCell>
            <TableCell>{t('review.services')}</TableCell>
            <TableCell>{t('review.pvcs')}</TableCell>
            <TableCell>{t('review.storage')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {review.departments.map(d => (
            <TableRow
              key={d.namespace}
              data-testid={`review-department-${d.namespace}`}
            >
              <TableCell component="th" scope="row">
                {d.name}
              </TableCell>
              <TableCell>{d.namespace}</TableCell>
              <TableCell>{formatCpu(dq.cpuMillicores)}</TableCell>
              <TableCell>{formatMemory(dq.memoryMebibytes)}</TableCell>
              <TableCell>{dq.pods}</TableCell>
              <TableCell>{dq.services}</TableCell>
              <TableCell>{dq.persistentVolumeClaims}</TableCell>
              <TableCell>{formatStorage(dq.storageGibibytes)}</TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell component="th" scope="row" colSpan={2}>
              {t('review.tenantTotal')}
            </TableCell>
            <TableCell colSpan={6} data-testid="review-tenant-total">
              {`${formatCpu(
                sizing.totals.tenantLayer.cpuMillicores,
              )} / ${formatMemory(
                sizing.totals.tenantLayer.memoryMebibytes,
              )} / ${formatStorage(
                sizing.totals.tenantLayer.storageGibibytes,
              )}`}
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>

      <Typography variant="h6" component="h3">
        {t('review.cost')}
      </Typography>
      <Typography variant="h5" component="p" data-testid="review-cost-range">
        {t('review.costRange', {
          low: brl(cost.monthlyLowBrl),
          high: brl(cost.monthlyHighBrl),
        })}
      </Typography>
      <Typography variant="body2" paragraph>
        {t('review.costExplanation')}
      </Typography>
      <Table size="small" aria-label={t('review.cost')}>
        <TableBody>
          <Row
            id="cost-control-plane"
            label={t('review.controlPlaneCost')}
            value={brl(cost.breakdown.controlPlaneBrl)}
          />
          <Row
            id="cost-tenant-compute"
            label={t('review.tenantCompute')}
            value={`${brl(cost.breakdown.tenantComputeLowBrl)} – ${brl(
              cost.breakdown.tenantComputeHighBrl,
            )}`}
          />
          <Row
            id="cost-storage"
            label={t('review.storageCost')}
            value={`${brl(cost.breakdown.storageLowBrl)} – ${brl(
              cost.breakdown.storageHighBrl,
            )}`}
          />
          <Row
            id="cost-shared"
            label={t('review.sharedPlatform')}
            value={`${brl(cost.breakdown.sharedPlatformLowBrl)} – ${brl(
              cost.breakdown.sharedPlatformHighBrl,
            )}`}
          />
        </TableBody>
      </Table>
      <Box marginTop={1}>
        <Typography
          data-testid="review-budget"
          color={review.withinBudget === false ? 'error' : 'textPrimary'}
          role={review.withinBudget === false ? 'alert' : undefined}
        >
          {budgetMessage}
        </Typography>
      </Box>
    </Box>
  );
};
