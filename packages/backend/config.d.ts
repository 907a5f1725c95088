export interface Config {
  hospitalTenants?: {
    /** The portal's permission policy (three roles, fail-closed). */
    permissions?: {
      /**
       * Entity ref of the platform team's group. Its members (and members of
       * its child groups, through their ownership refs) may do everything.
       * Default: `group:default/platform-engineering`.
       */
      platformGroup?: string;
      /**
       * Entity ref of the finance group (FinOps, executives). Its members
       * read every tenant in the catalog and every tenant's cost, nothing of
       * the clusters, and have no scaffolder. Every other signed-in user is
       * treated as a hospital's user. Must differ from `platformGroup`.
       * Default: `group:default/finance`.
       */
      financeGroup?: string;
    };
  };
}
