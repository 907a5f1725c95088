import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /** The hospital tenants entity provider. */
      hospitalTenants?: {
        /**
         * When to list every TenantControlPlane again. Events on the
         * `hospital-tenants` topic ingest a single tenant at once in between.
         * Default: every 5 minutes, timeout 3 minutes, first run after 5 seconds.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
