import {
  AuditorService,
  AuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  adminKubeconfigSecretName,
  managementNamespaceName,
  tenantEntityRef,
  TenantSpec,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  KubernetesClusterClient,
  managementApplyOrder,
  planTenantProvisioning,
  provisioningApplyOrder,
  readHospitalTenantsConfig,
  TenantProvisioningPlan,
} from '@prontuario/plugin-hospital-tenants-node';
import type { z as zImpl } from 'zod/v3';
import { ProvisioningClusters } from '../clusters';
import { checkAccess } from '../provision/access';
import { applyLayer } from '../provision/applyLayer';
import { openAttempt } from '../provision/attempt';
import { auditPlan, auditSpec, startProvisionAudit } from '../provision/audit';
import { checkpointOrRun, ProvisionRun } from '../provision/context';
import { logDryRun } from '../provision/dryRun';
import { checkSlugIsNew, claimSlug } from '../provision/claimSlug';
import { markProvisioned } from '../provision/markProvisioned';
import { publishApiServerCa } from '../provision/publishApiServerCa';
import { readProvisionedState } from '../provision/provisionedState';
import { revokeRunScopedGrant } from '../provision/revokeGrant';
import { checkClusterOwnership } from '../provision/ownership';
import { rollback, withCleanupFailure } from '../provision/rollback';
import { announceAndWaitForEntity } from '../provision/waitForEntity';
import { ControlPlaneFacts, waitForControlPlane } from '../provision/waitReady';
import { readProvisioningSettings } from '../settings';
import { provisionExamples } from './provision.examples';
import { withPublicErrors } from './publicErrors';
import { tenantInputSchema, validateTenantInput } from './input';

/** The action id. @public */
export const PROVISION_ACTION_ID = 'hospital:tenant:provision';

/** Placeholders a dry run emits for values only a real run knows. */
export const DRY_RUN_PLACEHOLDERS = {
  controlPlaneEndpoint: 'https://dry-run.invalid:6443',
};

const outputSchema = {
  tenantId: (z: typeof zImpl) =>
    z.string().describe('The tenant id (its slug).'),
  managementNamespace: (z: typeof zImpl) =>
    z
      .string()
      .describe(
        'The tenant namespace on the management cluster, tenant-<slug>.',
      ),
  controlPlaneEndpoint: (z: typeof zImpl) =>
    z
      .string()
      .describe(
        'The endpoint of the tenant API server (host:port, as Kamaji reports it).',
      ),
  adminKubeconfigSecretName: (z: typeof zImpl) =>
    z
      .string()
      .describe(
        'Name of the Secret (in the management namespace) holding the admin kubeconfig; never its content.',
      ),
  entityRef: (z: typeof zImpl) =>
    z.string().describe('The tenant catalog entity, resource:default/<slug>.'),
};

/** Dependencies of {@link createHospitalTenantProvisionAction}. @public */
export interface ProvisionActionOptions {
  config: Config;
  clusters: ProvisioningClusters;
  catalog: CatalogService;
  events: EventsService;
  permissions: PermissionsService;
  auth: AuthService;
  auditor: AuditorService;
  logger: LoggerService;
}

/**
 * `hospital:tenant:provision`: provisions a hospital tenant as one safe
 * transaction (see the README).
 *
 * @public
 */
export function createHospitalTenantProvisionAction(
  options: ProvisionActionOptions,
) {
  const { clusters, catalog, events, permissions, auth, auditor } = options;
  const action = createTemplateAction({
    id: PROVISION_ACTION_ID,
    description:
      'Provisions a hospital tenant: checks the permission and the spec, applies the management layer (namespace, quota, limits, network policies, Kamaji TenantControlPlane) with server-side apply as the provisioner identity, waits until the control plane is Ready, applies the tenant layer (department namespaces with Pod Security restricted, quotas, network policies, RBAC), announces the tenant and waits for its catalog entity. Idempotent and resumable; a failed run deletes what it created. Takes no credentials: clusters and identities come from the backend configuration.',
    examples: provisionExamples,
    supportsDryRun: true,
    schema: {
      input: tenantInputSchema,
      output: outputSchema,
    },
    async handler(ctx) {
      const started = Date.now();
      const { input } = ctx;
      const audit = await startProvisionAudit(auditor, {
        isDryRun: ctx.isDryRun,
        taskId: ctx.task.id,
        templateRef: ctx.templateInfo?.entityRef,
        initiator: ctx.user?.ref,
        slug: input.slug,
      });

      let spec: TenantSpec | undefined;
      let plan: TenantProvisioningPlan | undefined;
      let run: ProvisionRun | undefined;
      let management: KubernetesClusterClient | undefined;
      try {
        // shapes were checked by the scaffolder; every rule is the spec's
        const settings = readProvisioningSettings(options.config);
        const config = readHospitalTenantsConfig(options.config);
        const validated = validateTenantInput(input, config);
        const slug = validated.slug;
        run = {
          ctx,
          taskId: ctx.task.id,
          slug,
          namespace: managementNamespaceName(slug),
          attemptKey: await openAttempt(ctx, slug),
          settings,
          clusters,
          records: [],
        };
        const thisRun = run;

        // who may do this, and the catalog facts: checked with the user's
        // token once, recorded, and never needed again after a resume
        const access = await checkpointOrRun(
          ctx,
          `${run.attemptKey}.access`,
          () => checkAccess(ctx, validated, { permissions, catalog }),
        );
        spec = { ...validated, clusterGroup: access.clusterGroup };
        plan = planTenantProvisioning(spec, config, {
          provisionerServiceAccount: settings.provisionerServiceAccount,
          managementServiceAccountIssuer:
            settings.managementServiceAccountIssuer,
        });
        const managementObjects = managementApplyOrder(plan);
        ctx.logger.info(
          `Plan for tenant ${slug}: ${managementObjects.length} management-cluster and ${plan.tenant.length} tenant-cluster objects, sizing tier ${plan.sizing.tier}, estimated R$ ${plan.costEstimate.monthlyLowBrl}–${plan.costEstimate.monthlyHighBrl} per month`,
        );

        const outcome = { spec, plan };
        const finish = async (
          result: ControlPlaneFacts & { outcome: 'success' | 'dry-run' },
        ) => {
          ctx.output('tenantId', slug);
          ctx.output('managementNamespace', thisRun.namespace);
          ctx.output('controlPlaneEndpoint', result.controlPlaneEndpoint);
          ctx.output(
            'adminKubeconfigSecretName',
            result.adminKubeconfigSecretName,
          );
          ctx.output('entityRef', tenantEntityRef(slug));
          await audit.success({
            meta: {
              outcome: result.outcome,
              tenant: auditSpec(outcome.spec),
              sizing: auditPlan(outcome.plan),
              objects: {
                created: thisRun.records.filter(r => r.created).length,
                updated: thisRun.records.filter(r => !r.created).length,
              },
              durationMs: Date.now() - started,
            },
          });
        };

        if (ctx.isDryRun) {
          logDryRun(ctx, provisioningApplyOrder(plan));
          await finish({
            outcome: 'dry-run',
            controlPlaneEndpoint: DRY_RUN_PLACEHOLDERS.controlPlaneEndpoint,
            adminKubeconfigSecretName: adminKubeconfigSecretName(slug),
          });
          return;
        }

        const mgmt = clusters.management();
        management = mgmt;
        // a new tenant is new: refused when its slug is taken, then claimed
        // with a create-only POST (of two runs for one slug, one wins)
        await checkSlugIsNew(mgmt, slug, {
          taskId: run.taskId,
          catalog,
          auth,
          signal: ctx.signal,
        });
        await checkClusterOwnership(mgmt, spec, { signal: ctx.signal });
        run.records.push(
          await claimSlug(ctx, mgmt, plan, {
            key: `${run.attemptKey}.claim`,
            slug,
            taskId: run.taskId,
            fieldManager: settings.fieldManager,
            signal: ctx.signal,
          }),
        );
        // a provisioned tenant (day two) gets no grant and no tenant layer
        const { provisioned } = await readProvisionedState(run, mgmt);
        await applyLayer(
          run,
          'management-cluster',
          provisioned ? plan.management : managementObjects,
          async () => mgmt,
        );
        const ready = await waitForControlPlane(run, mgmt, {
          probeTenant: !provisioned,
        });
        if (!provisioned) {
          let tenantClient: Promise<KubernetesClusterClient> | undefined;
          await applyLayer(run, 'tenant-cluster', plan.tenant, () => {
            tenantClient ??= clusters.tenant(thisRun.namespace, slug, {
              signal: ctx.signal,
            });
            return tenantClient;
          });
          await publishApiServerCa(run, mgmt, () => {
            tenantClient ??= clusters.tenant(thisRun.namespace, slug, {
              signal: ctx.signal,
            });
            return tenantClient;
          });
          // the admin kubeconfig is not needed any more
          await revokeRunScopedGrant(run, mgmt, plan.runScopedGrant);
        }
        await announceAndWaitForEntity(run, { catalog, events, auth });
        if (!provisioned) await markProvisioned(run, mgmt);

        await finish({ outcome: 'success', ...ready });
      } catch (error) {
        const err = error as Error;
        const cancelled = !!ctx.signal?.aborted;
        const { cleanup, cleanupError } = run
          ? await rollback(run, {
              management,
              keepOnFailure: input.keepOnFailure,
            })
          : { cleanup: {}, cleanupError: undefined };
        await audit.fail({
          error: new Error(`${err.name}: ${err.message}`),
          meta: {
            outcome: cancelled ? 'cancelled' : 'fail',
            errorClass: err.name,
            ...(spec ? { tenant: auditSpec(spec) } : {}),
            ...(plan ? { sizing: auditPlan(plan) } : {}),
            cleanup,
            durationMs: Date.now() - started,
          },
        });
        if (cleanupError) {
          throw withCleanupFailure(err, cleanupError);
        }
        throw err;
      }
    },
  });
  // failed runs and dry runs show no stack with server paths
  return withPublicErrors(action);
}
