import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { TenantSlaHistory } from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsApiRef } from '../../api';

/** A tenant's SLA history as the tab shows it. */
export type SlaHistoryData =
  | { state: 'loading' }
  | { state: 'error'; error: Error }
  | { state: 'loaded'; history: TenantSlaHistory };

/** Loads the last `months` months of a tenant's SLA from the tenant API. */
export function useTenantSlaHistory(
  tenantId: string,
  months: number,
): SlaHistoryData {
  const api = useApi(hospitalTenantsApiRef);
  const [data, setData] = useState<SlaHistoryData>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setData({ state: 'loading' });
    if (!api.getTenantSlaHistory) {
      setData({
        state: 'error',
        error: new Error('This portal has no tenant SLA history API'),
      });
      return undefined;
    }
    api
      .getTenantSlaHistory(tenantId, months)
      .then(history => {
        if (!cancelled) setData({ state: 'loaded', history });
      })
      .catch((error: Error) => {
        if (!cancelled) setData({ state: 'error', error });
      });
    return () => {
      cancelled = true;
    };
  }, [api, tenantId, months]);
  return data;
}
