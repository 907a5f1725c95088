import { useTranslationRef } from '@backstage/frontend-plugin-api';
import TableCell from '@material-ui/core/TableCell';
import type { TenantSlaSummary } from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsTranslationRef } from '../../translation';
import { SlaVerdictChip } from './SlaVerdictChip';

type Verdicts = ReadonlyMap<string, TenantSlaSummary> | undefined;

/** The SLA column's header: rendered only when the caller may read some tenant's SLA. */
export function SlaVerdictHeaderCell({ verdicts }: { verdicts: Verdicts }) {
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  if (!verdicts) return null;
  return <TableCell>{t('slaCard.column')}</TableCell>;
}

/** A tenant's SLA verdict chip in that column ("—" where its SLA is not the caller's to read). */
export function SlaVerdictCell({
  verdicts,
  tenantId,
}: {
  verdicts: Verdicts;
  tenantId: string;
}) {
  if (!verdicts) return null;
  const summary = verdicts.get(tenantId);
  return (
    <TableCell data-testid={`sla-${tenantId}`}>
      {summary ? <SlaVerdictChip verdict={summary.verdict} /> : '—'}
    </TableCell>
  );
}
