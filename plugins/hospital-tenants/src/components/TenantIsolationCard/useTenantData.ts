import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  TenantIsolation,
  TenantStatus,
} from '@prontuario/plugin-hospital-tenants-common';
import { hospitalTenantsApiRef } from '../../api';

/** What the tenant card and tab show: status and isolation, read together. */
export type TenantData =
  | { state: 'loading' }
  | { state: 'error'; error: Error }
  | { state: 'loaded'; status: TenantStatus; isolation: TenantIsolation };

/** Loads a tenant's status and isolation from the tenant API. */
export function useTenantData(tenantId: string): TenantData {
  const api = useApi(hospitalTenantsApiRef);
  const [data, setData] = useState<TenantData>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setData({ state: 'loading' });
    Promise.all([
      api.getTenantStatus(tenantId),
      api.getTenantIsolation(tenantId),
    ])
      .then(([status, isolation]) => {
        if (!cancelled) setData({ state: 'loaded', status, isolation });
      })
      .catch((error: Error) => {
        if (!cancelled) setData({ state: 'error', error });
      });
    return () => {
      cancelled = true;
    };
  }, [api, tenantId]);
  return data;
}

/** The HTTP status of a failed call, if the server answered. */
export function statusCodeOf(error: Error): number | undefined {
  const code = (error as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The server's own message of a failed call (Backstage's error envelope), else the error's. */
export function serverMessageOf(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' ? message : error.message;
}
