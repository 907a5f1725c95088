import { useEffect, useState } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import type { TenantSlaSummary } from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsApiRef } from '../../api';

/** Pages of `GET /tenants` read at most (100 tenants each). */
const MAX_PAGES = 20;

/**
 * The SLA verdict of every tenant whose SLA the caller may read, from the
 * `GET /tenants` summaries (cache only on the server). `undefined` while
 * loading, when the list fails, when the app has no tenant API, or when
 * the caller may read no tenant's SLA (finance): then there is nothing to
 * show, not even a column.
 */
export function useSlaVerdicts():
  | ReadonlyMap<string, TenantSlaSummary>
  | undefined {
  const api = useApiHolder().get(hospitalTenantsApiRef);
  const [verdicts, setVerdicts] = useState<
    ReadonlyMap<string, TenantSlaSummary> | undefined
  >(undefined);
  useEffect(() => {
    let cancelled = false;
    setVerdicts(undefined);
    if (!api) return undefined;
    (async () => {
      const out = new Map<string, TenantSlaSummary>();
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const list = await api.listTenants({ limit: 100, cursor });
        for (const item of list.items) {
          if (item.sla) out.set(item.tenantId, item.sla);
        }
        cursor = list.nextCursor;
        if (!cursor) break;
      }
      return out;
    })().then(
      out => !cancelled && setVerdicts(out.size > 0 ? out : undefined),
      () => !cancelled && setVerdicts(undefined),
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  return verdicts;
}
