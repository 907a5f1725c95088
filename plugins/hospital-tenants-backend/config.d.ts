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
      /** The isolation checks. */
      isolation?: {
        /**
         * Namespaces of the management cluster whose ServiceAccounts are the
         * platform's and may be bound cluster-wide (a cloud provider's agents,
         * e.g. GKE's `gmp-system`). kube-system and the portal's, Kamaji's and
         * monitoring namespaces of `hospitalTenants.network.management`
         * always may; any other cluster-wide binding fails `management.rbac`.
         */
        platformServiceAccountNamespaces?: string[];
      };
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

    /**
     * Tenant cost from Kubecost or OpenCost (routes `/tenants/{id}/cost` and
     * `/costs/summary`; they answer 503 when this block is absent). Money is
     * BRL only: a source configured in another currency is refused.
     */
    cost?: {
      source: {
        /** `kubecost` (2.x: `/model/allocation`, savings) or `opencost` (`/allocation/compute`, no savings). */
        product: 'kubecost' | 'opencost';
        /** The management cluster's source (a federated Kubecost sees every cluster): Kubecost's frontend, e.g. `http://kubecost-cost-analyzer.kubecost:9090`, or OpenCost's API, e.g. `http://opencost.opencost:9003`. */
        baseUrl: string;
        /**
         * Kubecost `X-API-KEY`, when its SSO asks for one.
         * @visibility secret
         */
        apiKey?: string;
      };
      /** Months and days are counted in this zone (default America/Sao_Paulo). */
      timeZone?: string;
      /** The management cluster's `cluster` name in a federated source (default `management`; empty: no cluster filter). */
      managementCluster?: string;
      /** How each tenant's own cluster is reached; works for tenants created tomorrow. */
      tenantClusters?: {
        /** Its `cluster` name in the federated source, `{slug}` replaced (default `{slug}`). */
        clusterTemplate?: string;
        /** Or a source of its own per tenant, `{slug}` replaced, e.g. `http://opencost.{slug}.example:9003`. */
        baseUrlTemplate?: string;
        /** Per-tenant exceptions, by slug. */
        overrides?: { [slug: string]: { cluster?: string; baseUrl?: string } };
      };
      /** The Prometheus-sanitised tenant label on control plane pods (default `hospital_tenants_io_tenant`). */
      tenantLabel?: string;
      /** The platform's shared costs on the management cluster, charged to tenants in proportion to their direct cost. */
      shared?: {
        /** Namespaces of shared platform components (default postgres-system, kamaji-system, kube-system). */
        namespaces?: string[];
        /** Whether the management cluster's `__idle__` is part of the pool (default true). */
        includeManagementIdle?: boolean;
        /** The part of the pool charged to tenants, 0–1 (default 1). */
        fraction?: number;
      };
      /** Minutes between refreshes (default 60); one replica refreshes every tenant per run. */
      refreshMinutes?: number;
      /** Past days re-pulled at every refresh, which the source may still reconcile (default 3). */
      reconcileDays?: number;
      /** Whole months before the current one pulled for a tenant without snapshots (default 2). */
      backfillMonths?: number;
      /** Budget status "at risk" from this percent of the budget (default 90). */
      budgetAtRiskPercent?: number;
      /**
       * Budget notifications (`@backstage/plugin-notifications`): when a
       * tenant's status for the current month (the worse of month to date
       * and forecast) crosses into "at risk" or "over", one notification per
       * tenant × month × level goes to the tenant's owner group and to
       * `hospitalTenants.permissions.financeGroup`, sent after a refresh and
       * remembered in the plugin's database.
       */
      notifications?: {
        /** Default true. */
        enabled?: boolean;
        /** The notifications' language, `pt-BR` (default) or `en`. */
        language?: 'en' | 'pt-BR';
      };
    };

    /**
     * The SLA facet (GET /tenants/{id}/sla and /sla/report): Prometheus and
     * the PromQL of each indicator. See the README's "SLA indicators".
     */
    sla?: {
      prometheus?: {
        /** Prometheus' base URL (the API is under `/api/v1`); without it the SLA routes answer 503. */
        baseUrl?: string;
        /**
         * A bearer token.
         * @visibility secret
         */
        token?: string;
        /** A file holding a bearer token, re-read on every call (Google Managed Prometheus on GKE). */
        tokenFile?: string;
        /** Per query attempt, in ms (default 20000: the refresh runs 30-day queries). */
        timeoutMs?: number;
        /** How long the circuit breaker stays open before a trial call, in ms (default 30000). */
        breakerHalfOpenAfterMs?: number;
      };
      /** The SLO window in days (default 30). */
      windowDays?: number;
      /** How often one replica recomputes every tenant's SLA, in seconds (default 300); values older than twice this are stale. */
      refreshSeconds?: number;
      /** PromQL templates with `{{tenant}}` and `{{window}}` (defaults over the OpenTelemetry HTTP server metrics). */
      queries?: {
        bad?: string;
        total?: string;
        buckets?: string;
        rate?: string;
        /** Evidence of capacity (a load-test or saturation series answering the served req/s); without it capacity is "not measured". */
        capacityEvidence?: string;
      };
      /** The report's language when the tenant's entity names none (default pt-BR). */
      defaultLocale?: string;
      /** The report's time zone when the tenant's entity names none (default America/Sao_Paulo). */
      defaultTimeZone?: string;
    };
  };
}
