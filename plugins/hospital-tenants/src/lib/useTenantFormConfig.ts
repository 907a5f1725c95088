import { useMemo } from 'react';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { readTenantFormConfig, TenantFormConfig } from './tenantFormConfig';

/** The frontend-visible hospitalTenants configuration, or why it is missing. */
export function useTenantFormConfig():
  | { config: TenantFormConfig; error?: undefined }
  | { config?: undefined; error: 'notConfigured' | string } {
  const configApi = useApi(configApiRef);
  return useMemo(() => {
    try {
      const config = readTenantFormConfig(configApi);
      return config ? { config } : { error: 'notConfigured' as const };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [configApi]);
}
