import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Chip from '@material-ui/core/Chip';
import type { SlaVerdict } from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsTranslationRef } from '../../translation';

/** An SLA verdict (met / at risk / breached / unknown) as a small chip. */
export function SlaVerdictChip({ verdict }: { verdict: SlaVerdict }) {
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const label = {
    met: t('slaCard.met'),
    'at-risk': t('slaCard.atRisk'),
    breached: t('slaCard.breached'),
    unknown: t('slaCard.unknown'),
  }[verdict];
  const color = {
    met: 'primary',
    'at-risk': 'default',
    breached: 'secondary',
    unknown: 'default',
  } as const;
  return (
    <Chip
      size="small"
      label={label}
      color={color[verdict]}
      variant={verdict === 'at-risk' ? 'outlined' : 'default'}
      data-verdict={verdict}
    />
  );
}
