import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import {
  TenantCost,
  tenantCostSchema,
} from '@prontuario/plugin-hospital-tenants-common';
import { useEffect, useState } from 'react';

/** What the card shows while it loads the tenant's cost. */
export type TenantCostState =
  | { state: 'loading' }
  | { state: 'loaded'; cost: TenantCost }
  | { state: 'forbidden' }
  | { state: 'error'; message: string };

/** `GET /api/hospital-tenants/tenants/{id}/cost` with the user's credentials, parsed. */
export function useTenantCost(tenantId: string): TenantCostState {
  const discovery = useApi(discoveryApiRef);
  const { fetch } = useApi(fetchApiRef);
  const [result, setResult] = useState<TenantCostState>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const base = await discovery.getBaseUrl('hospital-tenants');
      const response = await fetch(
        `${base}/tenants/${encodeURIComponent(tenantId)}/cost`,
      );
      if (response.status === 403 || response.status === 404) {
        return { state: 'forbidden' } as const;
      }
      if (!response.ok) {
        // Backstage's error envelope: the server's message
        const body = await response.json().catch(() => undefined);
        throw new Error(
          body?.error?.message ?? `${response.status} ${response.statusText}`,
        );
      }
      return {
        state: 'loaded',
        cost: tenantCostSchema.parse(await response.json()),
      } as const;
    })().then(
      value => !cancelled && setResult(value),
      error =>
        !cancelled &&
        setResult({ state: 'error', message: String(error?.message ?? error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [discovery, fetch, tenantId]);
  return result;
}
