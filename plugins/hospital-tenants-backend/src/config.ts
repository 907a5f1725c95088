import { RootConfigService } from '@backstage/backend-plugin-api';

/** The tenant API's settings (`hospitalTenants.api`, see config.d.ts). */
export interface TenantApiSettings {
  statusFreshMs: number;
  isolationFreshMs: number;
  keepStaleMs: number;
  cacheTimeoutMs: number;
  staleWaitMs: number;
  tenantIndexRefreshSeconds: number;
  warmupSeconds: number;
  upstream: {
    timeoutMs: number;
    maxAttempts: number;
    breakerThreshold: number;
    breakerHalfOpenAfterMs: number;
  };
}

/** Reads `hospitalTenants.api`, with the defaults of config.d.ts. */
export function readTenantApiSettings(
  config: RootConfigService,
): TenantApiSettings {
  const api = config.getOptionalConfig('hospitalTenants.api');
  const num = (key: string, fallback: number) =>
    api?.getOptionalNumber(key) ?? fallback;
  return {
    statusFreshMs: num('statusFreshSeconds', 15) * 1000,
    isolationFreshMs: num('isolationFreshSeconds', 60) * 1000,
    keepStaleMs: num('keepStaleHours', 24) * 3600_000,
    cacheTimeoutMs: num('cacheTimeoutMs', 200),
    staleWaitMs: num('staleWaitMs', 500),
    tenantIndexRefreshSeconds: num('tenantIndexRefreshSeconds', 30),
    warmupSeconds: num('warmupSeconds', 60),
    upstream: {
      timeoutMs: num('upstream.timeoutMs', 1500),
      maxAttempts: num('upstream.maxAttempts', 2),
      breakerThreshold: num('upstream.breakerThreshold', 5),
      breakerHalfOpenAfterMs: num('upstream.breakerHalfOpenAfterMs', 30_000),
    },
  };
}
