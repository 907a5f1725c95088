import { HumanDuration } from '@backstage/types';

export interface Config {
  hospitalTenants?: {
    /**
     * Settings of the scaffolder actions `hospital:tenant:provision` and
     * `hospital:tenant:render`. The clusters and identities themselves are
     * `hospitalTenants.clusters` (see `@prontuario/plugin-hospital-tenants-node`).
     */
    provisioning?: {
      /**
       * How long the action waits for the TenantControlPlane to be Ready,
       * to have observed its latest generation and for its `/readyz` to
       * answer. Default: 10 minutes (Kamaji reports Ready in about 2 to 5
       * minutes on a real cluster).
       */
      readyTimeout?: HumanDuration | string;
      /**
       * How long the action waits for the tenant's catalog entity
       * (`resource:default/<slug>`) after it announced the tenant on the
       * events service. Default: 2 minutes.
       */
      entityTimeout?: HumanDuration | string;
      /**
       * Interval between two polls of a wait (control plane, `/readyz`,
       * catalog). Default: 2 seconds.
       */
      pollInterval?: HumanDuration | string;
      /**
       * Timeout of one Kubernetes API request of the provisioner identity
       * (read by `managementClusterProvisionerServiceRef` of
       * `@prontuario/plugin-hospital-tenants-node`). Default: 30 seconds.
       */
      requestTimeout?: HumanDuration | string;
      /**
       * The server-side apply field manager of both layers. Default:
       * the portal's field manager, `hospital-tenants-portal` (the one the
       * plan builders and the local simulator's seed use).
       */
      fieldManager?: string;
      /**
       * The provisioner's ServiceAccount, bound per tenant to read the
       * tenant's admin kubeconfig by the plan's run-scoped grant (see
       * deploy/README.md; `yarn render-tenant` reads it too).
       * Default: `backstage/hospital-tenants-provisioner`.
       */
      provisionerServiceAccount?: {
        name: string;
        namespace: string;
      };
      /**
       * The management cluster's ServiceAccount token issuer that each
       * tenant API server trusts for the portal's read-only checks (the
       * plan's authentication configuration; `yarn render-tenant` reads it
       * too). Default: `https://kubernetes.default.svc.cluster.local`. On
       * GKE, the cluster's public issuer
       * (`https://container.googleapis.com/v1/projects/<p>/locations/<l>/clusters/<c>`).
       */
      managementServiceAccountIssuer?: {
        /** The issuer URL (https), the `iss` of the management cluster's tokens. */
        url: string;
        /** PEM of the CA that serves the issuer's discovery, when not publicly trusted. */
        certificateAuthority?: string;
      };
      /**
       * The scheduled janitor that removes run-scoped kubeconfig grants
       * left by crashed, cancelled or abandoned runs (see deploy/README.md,
       * "The one-way gate"). It runs as the provisioner identity and only
       * when the management cluster is configured.
       */
      grantJanitor?: {
        /** How often it runs. Default: every 5 minutes. */
        frequency?: HumanDuration | string;
        /**
         * A grant last written longer ago than this is removed. Default:
         * the provisioning timeout, `readyTimeout` + `entityTimeout` + 5
         * minutes for applying both layers. Must be at least
         * `readyTimeout` + `entityTimeout`.
         */
        maxAge?: HumanDuration | string;
      };
    };
  };
}
