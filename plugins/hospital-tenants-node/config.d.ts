export interface Config {
  /**
   * Hospital tenants: what the plan builders need to turn a tenant spec into
   * the objects of both layers. Validated at run time by
   * `readHospitalTenantsConfig` (errors name the configuration path).
   *
   * Browser visibility: the "New Hospital Tenant" form offers regions,
   * environments and Kubernetes versions from here, and its review step
   * sizes and prices the tenant with the same functions as the provisioning
   * action. So exactly the keys it needs are `@visibility frontend` (declared
   * again in `@prontuario/plugin-hospital-tenants`'s config.d.ts, which is
   * what the app bundles): `kubernetesVersions`, each region's `displayName`
   * and its environments' `dataStores` names and `pricing`, each DataStore's
   * `driver`, the default `pricing`, and `approvedExternalApis.defaultCidrs`
   * (public ranges). Never visible: cluster URLs, CA data and identities,
   * worker CIDRs, OIDC settings, DataStore network locations and every
   * `network` key (platform ranges and namespaces).
   */
  hospitalTenants?: {
    /** Kubernetes versions a new tenant may run. */
    kubernetesVersions: {
      /**
       * Supported versions, as Kamaji expects them (`v1.35.7`). At least one.
       * @visibility frontend
       */
      supported: string[];
      /**
       * Version used when a spec names none; must be in `supported`.
       * Default: the last entry of `supported`.
       * @visibility frontend
       */
      default?: string;
    };

    /**
     * The pre-provisioned Kamaji DataStores, by DataStore name (the
     * cluster-scoped `DataStore` object, which the portal never creates).
     * NetworkPolicies cannot match host names, so each names where its
     * endpoints are on the network.
     */
    dataStores: {
      [name: string]: {
        /**
         * `etcd`, `MySQL`, `PostgreSQL` or `NATS` (all but etcd run kine).
         * Visible to the browser: the review step sizes kine from it.
         * @visibility frontend
         */
        driver: 'etcd' | 'MySQL' | 'PostgreSQL' | 'NATS';
        /** Give exactly one of `namespace` or `cidrs`. */
        network: {
          /** Namespace of an in-cluster DataStore. */
          namespace?: string;
          /** Pod labels of the DataStore inside `namespace`. Default: every pod of it. */
          podLabels?: { [key: string]: string };
          /** IPv4 CIDRs of an external DataStore (e.g. Cloud SQL private IP). */
          cidrs?: string[];
          /** The DataStore port (etcd 2379, PostgreSQL 5432, MySQL 3306, NATS 4222). */
          port: number;
        };
      };
    };

    /** Regions, each with its environments (e.g. `production`, `staging`). */
    regions: {
      [region: string]: {
        /**
         * Human name of the region.
         * @visibility frontend
         */
        displayName?: string;
        environments: {
          [environment: string]: {
            /**
             * IPv4 CIDRs of the tenant worker nodes; they become the TCP's
             * `networkProfile.loadBalancerSourceRanges` (at most 16).
             */
            workerCidrs: string[];
            /**
             * DataStores tenants here may use; the first is the default.
             * @visibility frontend
             */
            dataStores: string[];
            /** OIDC settings of the tenant API servers. Default: no OIDC. */
            oidc?: {
              /** https URL of the issuer. */
              issuerUrl: string;
              clientId: string;
              /** Default: `email`. */
              usernameClaim?: string;
              /** Default: `oidc:`. */
              usernamePrefix?: string;
              /** Default: `groups`. */
              groupsClaim?: string;
              /** Prefix of group names; the RoleBindings use it. Default: `oidc:`. */
              groupsPrefix?: string;
              /** IPv4 CIDRs the issuer is reached at (control-plane egress). */
              egressCidrs: string[];
              /** Default: 443. */
              egressPort?: number;
            };
            /** Prices for this region and environment. Default: `hospitalTenants.pricing`. */
            pricing?: {
              /** @visibility frontend */
              vcpuMonthBrl: number;
              /** @visibility frontend */
              memoryGibMonthBrl: number;
              /** @visibility frontend */
              storageGibMonthBrl: number;
              /**
               * Default: 0.1.
               * @visibility frontend
               */
              sharedPlatformShare?: number;
            };
          };
        };
      };
    };

    /** Default prices of the cost estimate, in BRL. */
    pricing: {
      /**
       * Price of one vCPU requested for a month.
       * @visibility frontend
       */
      vcpuMonthBrl: number;
      /**
       * Price of one GiB of memory requested for a month.
       * @visibility frontend
       */
      memoryGibMonthBrl: number;
      /**
       * Price of one GiB of persistent storage for a month.
       * @visibility frontend
       */
      storageGibMonthBrl: number;
      /**
       * Share of the shared platform (DataStore, management nodes) added on
       * top of a tenant's own cost, as a fraction (0.1 = 10 %). Default: 0.1.
       * @visibility frontend
       */
      sharedPlatformShare?: number;
    };

    /** Approved external APIs the department namespaces may call. */
    approvedExternalApis?: {
      /**
       * Public IPv4 CIDRs every tenant gets when its spec lists none.
       * Must not overlap private, platform or worker ranges. Default: none.
       * Visible to the browser (public ranges): the form prefills them.
       * @visibility frontend
       */
      defaultCidrs?: string[];
      /** TCP ports allowed to them. Default: [443]. */
      ports?: number[];
    };

    /** Networks and namespaces the NetworkPolicies refer to. */
    network: {
      /**
       * Platform IPv4 ranges approved external APIs must not overlap
       * (management subnet, data tier, ...). Default: none.
       */
      platformCidrs?: string[];
      /** The management cluster. */
      management: {
        /** Namespace of the Kamaji controller. Default: `kamaji-system`. */
        kamajiNamespace?: string;
        /** Namespace the portal (provisioner) runs in. Default: `backstage`. */
        portalNamespace?: string;
        /** Namespace of the monitoring stack that scrapes control planes. Default: `monitoring`. */
        monitoringNamespace?: string;
        /** IPv4 CIDRs of the management cluster nodes. */
        nodeCidrs: string[];
        /** IPv4 CIDRs of the management cluster pods. */
        podCidrs: string[];
        /**
         * What source address LoadBalancer traffic has when it reaches a
         * control-plane pod: `nodes` (SNAT to the node, the GKE default with
         * externalTrafficPolicy Cluster; the policy admits `nodeCidrs`) or
         * `clients` (client IP preserved; the policy admits the worker
         * CIDRs). Default: `nodes`.
         */
        loadBalancerTrafficSource?: 'nodes' | 'clients';
      };
      /** Platform namespaces inside each tenant cluster. */
      tenantCluster?: {
        /** Ingress controllers allowed into departments. Default: [`ingress-nginx`]. */
        ingressNamespaces?: string[];
        /** Monitoring allowed into departments. Default: [`monitoring`]. */
        monitoringNamespaces?: string[];
        /** Shared platform services departments may call. Default: none. */
        sharedServiceNamespaces?: string[];
      };
      /** Cluster DNS, allowed as egress everywhere. */
      dns?: {
        /** Default: `kube-system`. */
        namespace?: string;
        /** Default: `{ k8s-app: kube-dns }`. */
        podLabels?: { [key: string]: string };
        /** GKE NodeLocal DNSCache addresses. Default: [`169.254.20.10/32`]. */
        nodeLocalDnsCidrs?: string[];
      };
    };

    /**
     * The Kubernetes clusters the portal talks to (cluster client,
     * `KubernetesClusterClient.fromConfig`). Tenant clusters need no entry:
     * they are reached through each tenant's admin kubeconfig.
     */
    clusters?: {
      /** The management cluster, where Kamaji runs. */
      management: {
        /**
         * https URL of its API server. Not needed when every identity has a
         * `kubeconfigPath`.
         */
        url?: string;
        /** Base64 PEM CA bundle of the API server (kubeconfig `certificate-authority-data`). */
        caData?: string;
        /** Path of a PEM CA file (instead of `caData`). */
        caFile?: string;
        /**
         * The provisioner identity: writes the management layer, reads
         * tenants' admin kubeconfig Secrets (RBAC in deploy/rbac/provisioner.yaml).
         * Give one of `token`, `tokenFile` or `kubeconfigPath`.
         */
        provisioner: {
          /**
           * Bearer token of the provisioner ServiceAccount.
           * @visibility secret
           */
          token?: string;
          /** File holding the token (a mounted ServiceAccount token Secret). */
          tokenFile?: string;
          /** A kubeconfig file whose current context is this identity. */
          kubeconfigPath?: string;
        };
        /**
         * The read-only identity for status, isolation and the catalog
         * (deploy/rbac/reader.yaml; never reads Secrets).
         */
        reader: {
          /**
           * Bearer token of the reader ServiceAccount.
           * @visibility secret
           */
          token?: string;
          /** File holding the token. */
          tokenFile?: string;
          /** A kubeconfig file whose current context is this identity. */
          kubeconfigPath?: string;
        };
      };
    };
  };
}
