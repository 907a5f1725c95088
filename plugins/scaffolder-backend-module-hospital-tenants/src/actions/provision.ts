import {
  AuditorService,
  AuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import {
  adminKubeconfigSecretName,
  HOSPITAL_TENANTS_EVENT_TOPIC,
  HospitalTenantChangedEvent,
  HospitalTenantsConfig,
  managementNamespaceName,
  tenantEntityRef,
  TenantSpec,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  KubernetesClusterClient,
  readHospitalTenantsConfig,
  TenantPlan,
} from '@prontuario/plugin-hospital-tenants-node';
import { ProvisioningClusters } from '../clusters';
import { checkAccess } from '../provision/access';
import { checkSlugIsNew, claimSlug } from '../provision/claimSlug';
import {
  applyRecorded,
  deleteCreated,
  RecordedObject,
} from '../provision/apply';
import {
  checkClusterOwnership,
  describeObject,
  objectKey,
  provisioningPlan,
} from '../provision/plan';
import { ProvisioningSettings, readProvisioningSettings } from '../settings';
import { provisionExamples } from './provision.examples';
import { withPublicErrors } from './publicErrors';
import { tenantInputSchema, TenantInput, validateTenantInput } from './input';

/** The action id. @public */
export const PROVISION_ACTION_ID = 'hospital:tenant:provision';

/** Placeholders a dry run emits for values only a real run knows. */
export const DRY_RUN_PLACEHOLDERS = {
  controlPlaneEndpoint: 'https://dry-run.invalid:6443',
};

/** The spec fields an audit event may carry (no free text). */
const AUDIT_SPEC_FIELDS = [
  'slug',
  'region',
  'environment',
  'dailyUsers',
  'kubernetesVersion',
  'dataStore',
  'monthlyBudgetBrl',
  'ownerGroup',
] as const;

const outputSchema = {
  tenantId: (z: any) => z.string().describe('The tenant id (its slug).'),
  managementNamespace: (z: any) =>
    z
      .string()
      .describe(
        'The tenant namespace on the management cluster, tenant-<slug>.',
      ),
  controlPlaneEndpoint: (z: any) =>
    z
      .string()
      .describe(
        'The endpoint of the tenant API server (host:port, as Kamaji reports it).',
      ),
  adminKubeconfigSecretName: (z: any) =>
    z
      .string()
      .describe(
        'Name of the Secret (in the management namespace) holding the admin kubeconfig; never its content.',
      ),
  entityRef: (z: any) =>
    z.string().describe('The tenant catalog entity, resource:default/<slug>.'),
};

type Ctx = ActionContext<TenantInput & JsonObject, any>;

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

function abortableSleep(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason ?? new Error('aborted'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Thrown inside the attempt probe; never escapes. */
class OpenAttempt extends Error {}

/**
 * The attempt this run belongs to. A failed attempt is closed (after its
 * cleanup); a task retried later then starts a new attempt with fresh
 * checkpoints instead of replaying the old one's. A task resumed after a
 * crash finds its attempt still open and replays it.
 */
async function currentAttempt(ctx: Ctx, slug: string): Promise<number> {
  for (let n = 0; n < 100; n++) {
    try {
      await ctx.checkpoint({
        key: `tenant.${slug}.attempt.${n}.closed`,
        fn: () => {
          throw new OpenAttempt(`attempt ${n} is open`);
        },
      });
    } catch (error) {
      if (error instanceof OpenAttempt) return n;
      throw error;
    }
  }
  throw new InputError('This task has been retried 100 times; start a new one');
}

function safeAuditSlug(slug: unknown): string | undefined {
  return typeof slug === 'string' && /^[a-z][-a-z0-9]{0,62}$/.test(slug)
    ? slug
    : undefined;
}

function auditSpec(spec: TenantSpec): JsonObject {
  const out: JsonObject = {};
  for (const f of AUDIT_SPEC_FIELDS) out[f] = spec[f];
  out.departmentCount = spec.departments.length;
  out.approvedExternalApiCidrCount = spec.approvedExternalApiCidrs.length;
  out.sla = { ...spec.sla };
  return out;
}

function auditPlan(plan: TenantPlan): JsonObject {
  const q = plan.sizing.management.quota;
  return {
    tier: plan.sizing.tier,
    controlPlaneReplicas: plan.sizing.controlPlane.replicas,
    managementQuota: {
      cpuMillicores: q.cpuMillicores,
      memoryMebibytes: q.memoryMebibytes,
      pods: q.pods,
    },
    costEstimateBrl: {
      low: plan.costEstimate.monthlyLowBrl,
      high: plan.costEstimate.monthlyHighBrl,
    },
    objects: {
      management: plan.management.length,
      tenant: plan.tenant.length,
    },
  };
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
      const c = ctx as unknown as Ctx;
      const input = ctx.input as TenantInput;
      const taskId = ctx.task.id;
      const audit = await auditor.createEvent({
        eventId: 'tenant-provision',
        severityLevel: 'medium',
        meta: {
          actionType: ctx.isDryRun ? 'dry-run' : 'create',
          taskId,
          ...(ctx.templateInfo?.entityRef
            ? { templateRef: ctx.templateInfo.entityRef }
            : {}),
          ...(ctx.user?.ref ? { initiator: ctx.user.ref } : {}),
          ...(safeAuditSlug(input.slug) ? { tenantId: input.slug } : {}),
        },
      });

      let spec: TenantSpec | undefined;
      let plan: TenantPlan | undefined;
      const records: RecordedObject[] = [];
      let management: KubernetesClusterClient | undefined;
      let settings: ProvisioningSettings | undefined;
      let attemptKey: string | undefined;
      let cleanup: JsonObject = {};
      try {
        settings = readProvisioningSettings(options.config);
        const config: HospitalTenantsConfig = readHospitalTenantsConfig(
          options.config,
        );
        const validated = validateTenantInput(input, config);
        const slug = validated.slug;
        const namespace = managementNamespaceName(slug);
        const entityRef = tenantEntityRef(slug);

        // who may do this, and the catalog facts: checked with the user's
        // token once, recorded, and never needed again after a resume
        const attempt = ctx.isDryRun ? 0 : await currentAttempt(c, slug);
        attemptKey = `tenant.${slug}.attempt.${attempt}`;
        const access = await checkpointOrRun(c, `${attemptKey}.access`, () =>
          checkAccess(ctx, validated, { permissions, catalog }),
        );
        spec = { ...validated, clusterGroup: access.clusterGroup };
        plan = provisioningPlan(spec, config, settings);
        ctx.logger.info(
          `Plan for tenant ${slug}: ${plan.management.length} management-cluster and ${plan.tenant.length} tenant-cluster objects, sizing tier ${plan.sizing.tier}, estimated R$ ${plan.costEstimate.monthlyLowBrl}–${plan.costEstimate.monthlyHighBrl} per month`,
        );

        const outcomeSpec = spec;
        const outcomePlan = plan;
        const finish = async (result: {
          outcome: 'success' | 'dry-run';
          controlPlaneEndpoint: string;
          adminKubeconfigSecretName: string;
        }) => {
          ctx.output('tenantId', slug);
          ctx.output('managementNamespace', namespace);
          ctx.output('controlPlaneEndpoint', result.controlPlaneEndpoint);
          ctx.output(
            'adminKubeconfigSecretName',
            result.adminKubeconfigSecretName,
          );
          ctx.output('entityRef', entityRef);
          await audit.success({
            meta: {
              outcome: result.outcome,
              tenant: auditSpec(outcomeSpec),
              sizing: auditPlan(outcomePlan),
              objects: {
                created: records.filter(r => r.created).length,
                updated: records.filter(r => !r.created).length,
              },
              durationMs: Date.now() - started,
            },
          });
        };

        if (ctx.isDryRun) {
          for (const o of plan.management)
            ctx.logger.info(
              `would apply ${describeObject(o)} (management cluster)`,
            );
          for (const o of plan.tenant)
            ctx.logger.info(
              `would apply ${describeObject(o)} (tenant cluster)`,
            );
          await finish({
            outcome: 'dry-run',
            controlPlaneEndpoint: DRY_RUN_PLACEHOLDERS.controlPlaneEndpoint,
            adminKubeconfigSecretName: adminKubeconfigSecretName(slug),
          });
          return;
        }

        const mgmt = clusters.management();
        management = mgmt;
        const signal = ctx.signal;
        // a new tenant is new: refused when its slug is taken, then claimed
        // with a create-only POST (of two runs for one slug, one wins)
        await checkSlugIsNew(mgmt, slug, { taskId, catalog, auth, signal });
        await checkClusterOwnership(mgmt, spec, { signal });
        records.push(
          await claimSlug(c, mgmt, plan, {
            key: `${attemptKey}.claim`,
            slug,
            taskId,
            fieldManager: settings.fieldManager,
            signal,
          }),
        );

        const applyOpts = {
          fieldManager: settings.fieldManager,
          taskId,
          signal,
        };
        // one checkpoint per object: a resumed task replays what is recorded
        const applyLayer = async (
          target: RecordedObject['target'],
          objects: TenantPlan['management'],
          client: () => Promise<KubernetesClusterClient>,
        ) => {
          const where =
            target === 'management-cluster'
              ? 'on the management cluster'
              : 'in the tenant cluster';
          for (const object of objects) {
            const rec: RecordedObject = {
              target,
              object,
              created: false,
              pending: true,
            };
            records.push(rec);
            const record = (await c.checkpoint({
              key: `${attemptKey}.${target}.${objectKey(object)}`,
              fn: async () =>
                applyRecorded(await client(), object, applyOpts) as any,
            })) as { created?: boolean } | undefined;
            rec.created = !!record?.created;
            rec.pending = false;
            ctx.logger.info(
              `${rec.created ? 'Created' : 'Updated'} ${describeObject(
                object,
              )} ${where}`,
            );
          }
        };
        await applyLayer(
          'management-cluster',
          plan.management,
          async () => mgmt,
        );

        const s = settings;
        const ready = (await c.checkpoint({
          key: `${attemptKey}.ready`,
          fn: async () => {
            const deadline = Date.now() + s.readyTimeoutMs;
            ctx.logger.info(
              `Waiting up to ${Math.round(
                s.readyTimeoutMs / 1000,
              )}s for TenantControlPlane ${namespace}/${slug} to be Ready`,
            );
            const tcp: any = await mgmt.waitForTenantControlPlaneReady(
              namespace,
              slug,
              {
                timeoutMs: s.readyTimeoutMs,
                intervalMs: s.pollIntervalMs,
                signal,
                onProgress: p =>
                  ctx.logger.info(
                    `TenantControlPlane ${slug}: ${
                      p.status ?? 'pending'
                    } (observed generation ${p.observedGeneration ?? '-'} of ${
                      p.generation ?? '-'
                    })`,
                  ),
              },
            );
            const tenant = await clusters.tenant(namespace, slug, { signal });
            for (;;) {
              const probe = await tenant.probeReadyz({ signal });
              if (probe.ready) break;
              if (Date.now() > deadline) {
                throw new ServiceUnavailableError(
                  `The API server of tenant ${slug} did not answer /readyz within ${Math.round(
                    s.readyTimeoutMs / 1000,
                  )}s (last: HTTP ${probe.status ?? 'no answer'})`,
                );
              }
              ctx.logger.info(
                `Tenant ${slug} API server /readyz: not yet (HTTP ${
                  probe.status ?? '-'
                })`,
              );
              await abortableSleep(s.pollIntervalMs, signal);
            }
            ctx.logger.info(
              `Tenant ${slug} control plane is Ready and answers /readyz`,
            );
            return {
              controlPlaneEndpoint: String(
                tcp.status?.controlPlaneEndpoint ?? '',
              ),
              adminKubeconfigSecretName: String(
                tcp.status?.kubeconfig?.admin?.secretName ??
                  adminKubeconfigSecretName(slug),
              ),
            };
          },
        })) as {
          controlPlaneEndpoint: string;
          adminKubeconfigSecretName: string;
        };

        let tenantClient: Promise<KubernetesClusterClient> | undefined;
        const getTenantClient = () => {
          tenantClient ??= clusters.tenant(namespace, slug, { signal });
          return tenantClient;
        };
        await applyLayer('tenant-cluster', plan.tenant, getTenantClient);

        await c.checkpoint({
          key: `${attemptKey}.entity`,
          fn: async () => {
            await waitForEntity(ctx, slug, {
              catalog,
              events,
              auth,
              settings: s,
            });
            return { entityRef };
          },
        });

        await finish({ outcome: 'success', ...ready });
      } catch (error) {
        const err = error as Error;
        const cancelled = !!ctx.signal?.aborted;
        let cleanupError: Error | undefined;
        const createdCount = records.filter(r => r.created).length;
        const pendingCount = records.filter(r => r.pending).length;
        if (management && createdCount + pendingCount > 0 && settings) {
          if (input.keepOnFailure) {
            ctx.logger.warn(
              `keepOnFailure is set: leaving the ${createdCount} object(s) this run created for debugging`,
            );
            cleanup = { kept: createdCount };
          } else {
            const mgmt = management;
            const slug = spec!.slug;
            ctx.logger.info(
              `Provisioning ${
                cancelled ? 'was cancelled' : 'failed'
              }; deleting the ${createdCount} object(s) this run created`,
            );
            try {
              const deleted = await deleteCreated(
                records,
                {
                  management: mgmt,
                  tenant: () =>
                    clusters.tenant(managementNamespaceName(slug), slug),
                },
                {
                  logger: ctx.logger,
                  timeoutMs: settings.readyTimeoutMs,
                  intervalMs: Math.min(settings.pollIntervalMs, 1000),
                  taskId,
                },
              );
              cleanup = { deleted: deleted.length };
            } catch (e) {
              cleanupError = e as Error;
              cleanup = { failed: true };
              ctx.logger.error(cleanupError.message);
            }
          }
        }
        if (attemptKey && !ctx.isDryRun && records.length > 0) {
          // a retry of this task starts a new attempt, with fresh checkpoints
          await c
            .checkpoint({ key: `${attemptKey}.closed`, fn: () => true })
            .catch(() => undefined);
        }
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
          throw new Error(`${err.message}\n${cleanupError.message}`, {
            cause: err,
          });
        }
        throw err;
      }
    },
  });
  // failed runs and dry runs show no stack with server paths
  return withPublicErrors(action);
}

/** Runs `fn` inside a checkpoint, except in a dry run (no task state). */
async function checkpointOrRun<T>(
  ctx: Ctx,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (ctx.isDryRun) return fn();
  return (await ctx.checkpoint({ key, fn: fn as any })) as T;
}

/**
 * Announces the tenant on the events service (the catalog entity provider
 * ingests it at once) and waits until its entity exists, with the action's
 * own service credentials (the user's token may have expired by now).
 */
async function waitForEntity(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  slug: string,
  deps: {
    catalog: CatalogService;
    events: EventsService;
    auth: AuthService;
    settings: ProvisioningSettings;
  },
) {
  const entityRef = tenantEntityRef(slug);
  const payload: HospitalTenantChangedEvent = {
    type: 'tenant.changed',
    tenantId: slug,
  };
  const publish = () =>
    deps.events.publish({
      topic: HOSPITAL_TENANTS_EVENT_TOPIC,
      eventPayload: payload,
    });
  await publish();
  ctx.logger.info(
    `Announced tenant ${slug}; waiting for ${entityRef} in the catalog`,
  );
  const deadline = Date.now() + deps.settings.entityTimeoutMs;
  let lastPublish = Date.now();
  for (;;) {
    const credentials = await deps.auth.getOwnServiceCredentials();
    const entity = await deps.catalog
      .getEntityByRef(entityRef, { credentials })
      .catch(() => undefined);
    if (entity) {
      ctx.logger.info(`${entityRef} is in the catalog`);
      return;
    }
    if (Date.now() > deadline) {
      throw new ServiceUnavailableError(
        `The catalog entity ${entityRef} did not appear within ${Math.round(
          deps.settings.entityTimeoutMs / 1000,
        )}s; is the hospital-tenants entity provider installed?`,
      );
    }
    if (Date.now() - lastPublish > 15_000) {
      await publish();
      lastPublish = Date.now();
    }
    await abortableSleep(deps.settings.pollIntervalMs, ctx.signal);
  }
}
