export interface Config {
  /**
   * The part of the hospital tenants configuration the "New Hospital Tenant"
   * form reads in the browser. The whole block, with every key documented,
   * is declared by `@prontuario/plugin-hospital-tenants-node`; this file
   * repeats only the keys the form needs and marks them
   * `@visibility frontend`, so that the app bundles them (a frontend plugin
   * cannot depend on the node library that declares the rest). Nothing
   * about clusters, identities, worker or platform networks, OIDC or
   * DataStore network locations is visible.
   */
  hospitalTenants?: {
    kubernetesVersions?: {
      /**
       * Supported Kubernetes versions (`v1.35.7`): the form's choices.
       * @visibility frontend
       */
      supported?: string[];
      /**
       * Preselected version. Default: the last entry of `supported`.
       * @visibility frontend
       */
      default?: string;
    };
    dataStores?: {
      [name: string]: {
        /**
         * The DataStore driver (the review step sizes kine from it).
         * @visibility frontend
         */
        driver?: 'etcd' | 'MySQL' | 'PostgreSQL' | 'NATS';
      };
    };
    regions?: {
      [region: string]: {
        /**
         * Human name of the region, shown in the form.
         * @visibility frontend
         */
        displayName?: string;
        environments?: {
          [environment: string]: {
            /**
             * DataStore names; the first is the one a new tenant gets.
             * @visibility frontend
             */
            dataStores?: string[];
            /** Prices for this region and environment (review step). */
            pricing?: {
              /** @visibility frontend */
              vcpuMonthBrl?: number;
              /** @visibility frontend */
              memoryGibMonthBrl?: number;
              /** @visibility frontend */
              storageGibMonthBrl?: number;
              /** @visibility frontend */
              sharedPlatformShare?: number;
            };
          };
        };
      };
    };
    /** Default prices of the cost estimate, in BRL (review step). */
    pricing?: {
      /** @visibility frontend */
      vcpuMonthBrl?: number;
      /** @visibility frontend */
      memoryGibMonthBrl?: number;
      /** @visibility frontend */
      storageGibMonthBrl?: number;
      /** @visibility frontend */
      sharedPlatformShare?: number;
    };
    approvedExternalApis?: {
      /**
       * Public IPv4 CIDRs every tenant gets by default: the form prefills them.
       * @visibility frontend
       */
      defaultCidrs?: string[];
    };
  };
}
