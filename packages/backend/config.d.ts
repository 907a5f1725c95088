export interface Config {
  hospitalTenants?: {
    /** The portal's permission policy. */
    permissions?: {
      /**
       * Entity ref of the platform team's group. Its members (and members of
       * its child groups, through their ownership refs) may do everything;
       * every other signed-in user is treated as a hospital's user.
       * Default: `group:default/platform-engineering`.
       */
      platformGroup?: string;
    };
  };
}
