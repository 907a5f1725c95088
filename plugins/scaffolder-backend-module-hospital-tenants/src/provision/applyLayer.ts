import {
  KubernetesClusterClient,
  KubernetesObject,
} from '@prontuario/plugin-hospital-tenants-node';
import { AppliedRecord, applyRecorded, RecordedObject } from './apply';
import { ProvisionRun } from './context';
import { describeObject, objectKey } from './plan';

/**
 * Step: server-side applies the objects of one layer in order, each in its
 * own checkpoint (`<attempt>.<target>.<Kind>.<namespace>.<name>`), so a
 * resumed task replays what is recorded. Every object is added to
 * `run.records` before its write, so a failure cleans it up.
 */
export async function applyLayer(
  run: ProvisionRun,
  target: RecordedObject['target'],
  objects: KubernetesObject[],
  client: () => Promise<KubernetesClusterClient>,
): Promise<void> {
  const where =
    target === 'management-cluster'
      ? 'on the management cluster'
      : 'in the tenant cluster';
  const applyOptions = {
    fieldManager: run.settings.fieldManager,
    taskId: run.taskId,
    signal: run.ctx.signal,
  };
  for (const object of objects) {
    const rec: RecordedObject = {
      target,
      object,
      created: false,
      pending: true,
    };
    run.records.push(rec);
    const record = await run.ctx.checkpoint<AppliedRecord>({
      key: `${run.attemptKey}.${target}.${objectKey(object)}`,
      fn: async () => applyRecorded(await client(), object, applyOptions),
    });
    rec.created = !!record?.created;
    rec.pending = false;
    run.ctx.logger.info(
      `${rec.created ? 'Created' : 'Updated'} ${describeObject(
        object,
      )} ${where}`,
    );
  }
}
