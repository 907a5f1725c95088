import { TargetedObject } from '@prontuario/plugin-hospital-tenants-node';
import { ProvisionContext } from './context';
import { describeObject } from './plan';

/**
 * Step, in a dry run only: logs every object the run would apply, in
 * order, with its cluster. Touches no cluster.
 */
export function logDryRun(ctx: ProvisionContext, objects: TargetedObject[]) {
  for (const { target, object } of objects) {
    ctx.logger.info(
      `would apply ${describeObject(object)} (${
        target === 'management-cluster'
          ? 'management cluster'
          : 'tenant cluster'
      })`,
    );
  }
}
