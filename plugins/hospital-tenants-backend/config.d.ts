export interface Config {
  hospitalTenants?: {
    /**
     * The tenant API (backend plugin `hospital-tenants`). Every key is
     * optional; the defaults suit production.
     */
    api?: {
      /** How long a tenant's status stays fresh in the cache, in seconds (default 15). */
      statusFreshSeconds?: number;
      /** How long a tenant's isolation checks stay fresh, in seconds (default 60). */
      isolationFreshSeconds?: number;
      /** How long the last value is kept to be served stale when an upstream fails, in hours (default 24). */
      keepStaleHours?: number;
      /** A cache (Redis) call slower than this counts as a miss, in ms (default 200). */
      cacheTimeoutMs?: number;
      /** How long a request waits for the refresh of a stale value before it gets the stale value, in ms (default 500). */
      staleWaitMs?: number;
      /** How often each replica reloads the tenant index (tenant id to owner) from the catalog, in seconds (default 30). */
      tenantIndexRefreshSeconds?: number;
      /** How often one replica refreshes every tenant's status and isolation into the cache, in seconds (default 60; 0 turns it off). */
      warmupSeconds?: number;
      /**
       * Validate every response against the OpenAPI spec (a non-conforming
       * body becomes a 500). For tests; default false.
       */
      validateResponses?: boolean;
      /** Calls to the management cluster. */
      upstream?: {
        /** Per attempt, in ms (default 1500). */
        timeoutMs?: number;
        /** Attempts in all for a read (default 2). */
        maxAttempts?: number;
        /** Consecutive failures that open the circuit breaker (default 5). */
        breakerThreshold?: number;
        /** How long the breaker stays open before a trial call, in ms (default 30000). */
        breakerHalfOpenAfterMs?: number;
      };
    };
  };
}
