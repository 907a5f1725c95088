import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/** Where the collator's settings live. */
export const configKey = 'search.collators.hospitalTenants';

/** The schedule when none is configured. */
export const defaultSchedule: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 3 },
};

/** The configured schedule, else {@link defaultSchedule}; a malformed one is an `InputError`. */
export function readSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  const scheduleConfig = config
    .getOptionalConfig(configKey)
    ?.getOptionalConfig('schedule');
  if (!scheduleConfig) return defaultSchedule;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig);
  } catch (error) {
    throw new InputError(`Invalid schedule at ${configKey}, ${error}`);
  }
}
