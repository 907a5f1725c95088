import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CheckpointContext } from '@backstage/plugin-scaffolder-node/alpha';
import { JsonValue } from '@backstage/types';
import { ProvisioningClusters } from '../clusters';
import { ProvisioningSettings } from '../settings';
import { RecordedObject } from './apply';

/**
 * What the provisioning steps use of the scaffolder's action context (any
 * `ActionContext` fits, whatever its input and output types).
 */
export interface ProvisionContext {
  logger: LoggerService;
  signal?: AbortSignal;
  isDryRun?: boolean;
  task: { id: string };
  checkpoint<T extends JsonValue | void>(
    options: CheckpointContext<T>,
  ): Promise<T>;
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}

/**
 * One provisioning run of one tenant: what every step after validation
 * shares. `records` lists every object the run applied or was applying, so
 * a failed run deletes exactly what it created.
 */
export interface ProvisionRun {
  readonly ctx: ProvisionContext;
  readonly taskId: string;
  readonly slug: string;
  /** The management namespace, `tenant-<slug>`. */
  readonly namespace: string;
  /** The prefix of every checkpoint key of this attempt, `tenant.<slug>.attempt.<n>`. */
  readonly attemptKey: string;
  readonly settings: ProvisioningSettings;
  readonly clusters: ProvisioningClusters;
  readonly records: RecordedObject[];
}

/**
 * Runs `fn` inside the checkpoint `key`: a resumed task replays its recorded
 * value instead of running it again. A dry run has no task state, so `fn`
 * just runs.
 */
export async function checkpointOrRun<T extends JsonValue | void>(
  ctx: ProvisionContext,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (ctx.isDryRun) return fn();
  return ctx.checkpoint<T>({ key, fn });
}
