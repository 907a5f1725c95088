import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /**
       * The hospital tenants collator (document type `hospital-tenant`).
       */
      hospitalTenants?: {
        /**
         * How often the tenants are indexed. Default: every 10 minutes,
         * timeout 15 minutes, first run 3 seconds after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
