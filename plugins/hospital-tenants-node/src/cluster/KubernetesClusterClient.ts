import { AsyncLocalStorage } from 'node:async_hooks';
import https from 'node:https';
import {
  HttpMethod,
  KubeConfig,
  KubernetesObject as ClientNodeObject,
  KubernetesObjectApi,
  PatchStrategy,
  RequestContext,
  ResponseContext,
  ServerConfiguration,
  createConfiguration,
} from '@kubernetes/client-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { parse as parseYaml } from 'yaml';
import { Config } from '@backstage/config';
import { ClusterIdentity, managementKubeConfig } from './clusterConfig';
import { toBackstageError } from './errors';
import type { KubernetesObject } from '../plan/types';
import { abortReason, pollUntil } from '../util/pollUntil';

/**
 * A Kubernetes object as plain JSON, as the API server returns it (a plan
 * object plus the server's metadata).
 *
 * @public
 */
export interface ClusterObject extends KubernetesObject {
  metadata: KubernetesObject['metadata'] & {
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    [key: string]: unknown;
  };
}

/**
 * Options of {@link KubernetesClusterClient.apply}.
 *
 * @public
 */
export interface ApplyOptions {
  /** the server-side apply field manager */
  fieldManager: string;
  /**
   * take over fields owned by other managers; never set on a first apply (a
   * conflict means another owner holds the object)
   */
  force?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
}

/**
 * Progress of a control plane while {@link KubernetesClusterClient.waitForTenantControlPlaneReady} waits.
 *
 * @public
 */
export interface TenantControlPlaneProgress {
  /** `status.kubernetesResources.version.status`, `undefined` before Kamaji reconciled */
  status?: string;
  observedGeneration?: number;
  generation?: number;
  /**
   * why the control-plane pods are not running, when the Deployment says so
   * (its `ReplicaFailure` condition: a quota, LimitRange or Pod Security refusal)
   */
  problem?: string;
}

/**
 * Options of the wait operations.
 *
 * @public
 */
export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** polling interval (default 2 s) */
  intervalMs?: number;
  onProgress?: (progress: TenantControlPlaneProgress) => void;
}

/**
 * Result of {@link KubernetesClusterClient.probeReadyz}.
 *
 * @public
 */
export interface ReadyzResult {
  ready: boolean;
  status?: number;
  body?: string;
}

interface CallScope {
  signal?: AbortSignal;
  status?: number;
  text?: string;
}

/** KubernetesObjectApi with a server-side apply that sends the object untouched. */
class ObjectApi extends KubernetesObjectApi {
  static create(
    kc: KubeConfig,
    scope: AsyncLocalStorage<CallScope>,
  ): ObjectApi {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('The kubeconfig has no current cluster');
    const api = new ObjectApi(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: kc },
        promiseMiddleware: [
          {
            pre: async (ctx: RequestContext) => {
              const s = scope.getStore();
              if (s?.signal) ctx.setSignal(s.signal);
              return ctx;
            },
            // keep the raw status and text: the typed deserialiser of
            // client-node drops fields of built-in kinds it does not model
            post: async (rsp: ResponseContext) => {
              const s = scope.getStore();
              const text = await rsp.body.text();
              if (s) {
                s.status = rsp.httpStatusCode;
                s.text = text;
              }
              return new ResponseContext(rsp.httpStatusCode, rsp.headers, {
                text: async () => text,
                binary: async () => Buffer.from(text),
              });
            },
          },
        ],
      }),
    );
    api.setDefaultNamespace(kc);
    return api;
  }

  /**
   * `KubernetesObjectApi.patch` serialises built-in kinds through their
   * typed models, which silently drops keys they name differently (a
   * LimitRange's `default`); apply sends the plan's JSON as it is.
   */
  async applyRaw(
    spec: ClusterObject,
    fieldManager: string,
    force: boolean,
    dryRun: boolean,
  ) {
    // client-node would put a namespaced object without a namespace into the
    // kubeconfig's default namespace: a plan object must say where it goes
    const resource = await this.resource(spec.apiVersion, spec.kind);
    if (resource?.namespaced && !spec.metadata.namespace) {
      throw new InputError(
        `${spec.kind} ${spec.metadata.name} has no metadata.namespace; namespaced objects are never applied to a default namespace`,
      );
    }
    const path = await this.specUriPath(spec as ClientNodeObject, 'patch');
    const ctx = this.configuration.baseServer.makeRequestContext(
      path,
      HttpMethod.PATCH,
    );
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('Content-Type', PatchStrategy.ServerSideApply);
    ctx.setQueryParam('fieldManager', fieldManager);
    if (force) ctx.setQueryParam('force', 'true');
    if (dryRun) ctx.setQueryParam('dryRun', 'All');
    ctx.setBody(JSON.stringify(spec));
    return this.requestPromise(ctx);
  }

  /** A create (POST to the collection) that sends the object untouched. */
  async createRaw(spec: ClusterObject, fieldManager: string) {
    const resource = await this.resource(spec.apiVersion, spec.kind);
    if (resource?.namespaced && !spec.metadata.namespace) {
      throw new InputError(
        `${spec.kind} ${spec.metadata.name} has no metadata.namespace; namespaced objects are never created in a default namespace`,
      );
    }
    const path = await this.specUriPath(spec as ClientNodeObject, 'create');
    const ctx = this.configuration.baseServer.makeRequestContext(
      path,
      HttpMethod.POST,
    );
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('Content-Type', 'application/json');
    ctx.setQueryParam('fieldManager', fieldManager);
    ctx.setBody(JSON.stringify(spec));
    return this.requestPromise(ctx);
  }

  /** `POST .../serviceaccounts/<name>/token` (TokenRequest). */
  async createTokenRaw(
    namespace: string,
    name: string,
    spec: { audiences: string[]; expirationSeconds: number },
  ) {
    const ctx = this.configuration.baseServer.makeRequestContext(
      `/api/v1/namespaces/${encodeURIComponent(
        namespace,
      )}/serviceaccounts/${encodeURIComponent(name)}/token`,
      HttpMethod.POST,
    );
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('Content-Type', 'application/json');
    ctx.setBody(
      JSON.stringify({
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec,
      }),
    );
    return this.requestPromise(ctx);
  }
}

const describe = (o: {
  kind: string;
  metadata: { name: string; namespace?: string };
}) =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${
    o.metadata.name
  }`;

/**
 * Whether a TenantControlPlane is Ready and has observed its latest spec.
 *
 * @public
 */
export function isTenantControlPlaneReady(tcp: any): boolean {
  return (
    tcp?.status?.kubernetesResources?.version?.status === 'Ready' &&
    typeof tcp.status.observedGeneration === 'number' &&
    tcp.status.observedGeneration >= (tcp.metadata?.generation ?? 0)
  );
}

/**
 * A client of one Kubernetes cluster (the management cluster, or a tenant's
 * own API server) on `@kubernetes/client-node`: server-side apply with a
 * field manager, reads, deletes, and waits, with every failure mapped to an
 * `@backstage/errors` type.
 *
 * @public
 */
export class KubernetesClusterClient {
  private readonly scope = new AsyncLocalStorage<CallScope>();
  private readonly api: ObjectApi;
  private readonly requestTimeoutMs: number;
  private readonly logger?: LoggerService;

  constructor(
    readonly kubeConfig: KubeConfig,
    options: { requestTimeoutMs?: number; logger?: LoggerService } = {},
  ) {
    this.api = ObjectApi.create(kubeConfig, this.scope);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.logger = options.logger;
  }

  /**
   * A client of the management cluster as one of the portal's identities,
   * from `hospitalTenants.clusters.management`.
   */
  static fromConfig(
    config: Config,
    options: {
      identity: ClusterIdentity;
      requestTimeoutMs?: number;
      logger?: LoggerService;
    },
  ): KubernetesClusterClient {
    return new KubernetesClusterClient(
      managementKubeConfig(config, options.identity),
      options,
    );
  }

  /** The API server's URL. */
  get server(): string {
    return this.kubeConfig.getCurrentCluster()!.server;
  }

  /** Runs one API call with a timeout and the caller's signal; returns the raw JSON. */
  private async call<T>(
    what: string,
    fn: () => Promise<unknown>,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: T }> {
    const signals = [
      AbortSignal.timeout(this.requestTimeoutMs),
      ...(signal ? [signal] : []),
    ];
    const store: CallScope = { signal: AbortSignal.any(signals) };
    try {
      await this.scope.run(store, fn);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw toBackstageError(error, what);
    }
    return {
      status: store.status ?? 0,
      body: (store.text ? JSON.parse(store.text) : undefined) as T,
    };
  }

  /**
   * Server-side apply of one object. Resolves with the object as the server
   * stored it and whether it was created (201) or updated (200). A conflict
   * with another field manager rejects with a ConflictError naming it.
   */
  async apply<T extends ClusterObject = ClusterObject>(
    object: ClusterObject,
    options: ApplyOptions,
  ): Promise<{ object: T; created: boolean }> {
    const { status, body } = await this.call<T>(
      `apply ${describe(object)} as ${options.fieldManager}`,
      () =>
        this.api.applyRaw(
          object,
          options.fieldManager,
          !!options.force,
          !!options.dryRun,
        ),
      options.signal,
    );
    this.logger?.debug(`applied ${describe(object)}: HTTP ${status}`);
    return { object: body, created: status === 201 };
  }

  /**
   * Creates one object, and only creates it (a POST, never an update): the
   * create-only claim of a name. Resolves `{ created: true, object }`, or
   * `{ created: false }` when an object of that name already exists (the API
   * server's 409 `AlreadyExists`), in which case nothing was written. Any
   * other failure rejects with its `@backstage/errors` type.
   */
  async create<T extends ClusterObject = ClusterObject>(
    object: ClusterObject,
    options: { fieldManager: string; signal?: AbortSignal },
  ): Promise<{ created: true; object: T } | { created: false }> {
    try {
      const { body } = await this.call<T>(
        `create ${describe(object)} as ${options.fieldManager}`,
        () => this.api.createRaw(object, options.fieldManager),
        options.signal,
      );
      this.logger?.debug(`created ${describe(object)}`);
      return { created: true, object: body };
    } catch (error) {
      if (isAlreadyExists(error)) return { created: false };
      throw error;
    }
  }

  /**
   * A short-lived token of a ServiceAccount, bound to `audiences`
   * (TokenRequest). The token is a credential: never log or output it.
   */
  async requestServiceAccountToken(
    namespace: string,
    name: string,
    options: {
      audiences: string[];
      expirationSeconds: number;
      signal?: AbortSignal;
    },
  ): Promise<{ token: string; expirationTimestamp: string }> {
    const { body } = await this.call<{
      status?: { token?: string; expirationTimestamp?: string };
    }>(
      `request a token of ServiceAccount ${namespace}/${name}`,
      () =>
        this.api.createTokenRaw(namespace, name, {
          audiences: options.audiences,
          expirationSeconds: options.expirationSeconds,
        }),
      options.signal,
    );
    const token = body?.status?.token;
    if (!token) {
      throw new ServiceUnavailableError(
        `The TokenRequest for ServiceAccount ${namespace}/${name} returned no token`,
      );
    }
    return {
      token,
      expirationTimestamp: String(body?.status?.expirationTimestamp ?? ''),
    };
  }

  /** Reads one object; rejects with NotFoundError when it does not exist. */
  async get<T extends ClusterObject = ClusterObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<T> {
    const ref = { apiVersion, kind, metadata: { name, namespace } };
    const { body } = await this.call<T>(
      `get ${describe(ref)}`,
      () => this.api.read(ref as any),
      options.signal,
    );
    return body;
  }

  /** Reads one object, or `undefined` when it does not exist. */
  async find<T extends ClusterObject = ClusterObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<T | undefined> {
    try {
      return await this.get<T>(apiVersion, kind, name, namespace, options);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** Lists objects of a kind (in one namespace, or all), filtered by label selector. */
  async list<T extends ClusterObject = ClusterObject>(
    apiVersion: string,
    kind: string,
    options: {
      namespace?: string;
      labelSelector?: string;
      fieldSelector?: string;
      /** items per request; the pages are followed to the end (default 500) */
      pageSize?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let continueToken: string | undefined = undefined;
    do {
      const token: string | undefined = continueToken;
      const page: { body: { items?: T[]; metadata?: { continue?: string } } } =
        await this.call(
          `list ${kind}${options.namespace ? ` in ${options.namespace}` : ''}`,
          (): Promise<unknown> =>
            this.api.list(
              apiVersion,
              kind,
              options.namespace,
              undefined,
              undefined,
              undefined,
              options.fieldSelector,
              options.labelSelector,
              options.pageSize ?? 500,
              token,
            ),
          options.signal,
        );
      // list items of built-in kinds come without apiVersion and kind
      const { body } = page;
      items.push(
        ...(body?.items ?? []).map((item: T) => ({
          ...item,
          apiVersion,
          kind,
        })),
      );
      continueToken = body?.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  /** Deletes an object; resolves to false when it was already gone. */
  async delete(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
    options: {
      signal?: AbortSignal;
      propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
    } = {},
  ): Promise<boolean> {
    const ref = { apiVersion, kind, metadata: { name, namespace } };
    try {
      await this.call(
        `delete ${describe(ref)}`,
        () =>
          this.api.delete(
            ref as any,
            undefined,
            undefined,
            undefined,
            undefined,
            options.propagationPolicy,
          ),
        options.signal,
      );
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /**
   * Polls `check` until it returns a value, the timeout passes or the signal
   * aborts. An unavailable API server is retried until the deadline.
   */
  private async poll<T>(
    what: string,
    options: WaitOptions,
    check: () => Promise<T | undefined>,
    describeLast: () => string,
  ): Promise<T> {
    return pollUntil(check, {
      timeoutMs: options.timeoutMs,
      intervalMs: options.intervalMs ?? 2000,
      signal: options.signal,
      retryOn: error => error instanceof ServiceUnavailableError,
      onTimeout: lastError => {
        const last = lastError
          ? `last error: ${(lastError as Error).message}`
          : describeLast();
        throw new ServiceUnavailableError(
          `${what} did not happen within ${Math.round(
            options.timeoutMs / 1000,
          )}s (${last})`,
          lastError,
        );
      },
    });
  }

  /** Waits until a namespace has finished terminating (is gone). */
  async waitForNamespaceGone(
    name: string,
    options: WaitOptions,
  ): Promise<void> {
    let phase = 'unknown';
    await this.poll(
      `namespace ${name} removal`,
      options,
      async () => {
        const ns = await this.find<any>('v1', 'Namespace', name, undefined, {
          signal: options.signal,
        });
        phase = ns?.status?.phase ?? 'gone';
        return ns ? undefined : true;
      },
      () => `still ${phase}`,
    );
  }

  /**
   * Waits until a TenantControlPlane reports `Ready` and has observed its
   * latest generation. Reports each change of status through `onProgress`.
   */
  async waitForTenantControlPlaneReady(
    namespace: string,
    name: string,
    options: WaitOptions,
  ): Promise<ClusterObject> {
    let last: TenantControlPlaneProgress = {};
    let reported = '';
    return this.poll(
      `TenantControlPlane ${namespace}/${name} readiness`,
      options,
      async () => {
        const tcp = await this.get<any>(
          'kamaji.clastix.io/v1alpha1',
          'TenantControlPlane',
          name,
          namespace,
          { signal: options.signal },
        );
        last = {
          status: tcp.status?.kubernetesResources?.version?.status,
          observedGeneration: tcp.status?.observedGeneration,
          generation: tcp.metadata?.generation,
          problem: (
            tcp.status?.kubernetesResources?.deployment?.conditions ?? []
          ).find(
            (c: { type?: string; status?: string }) =>
              c.type === 'ReplicaFailure' && c.status === 'True',
          )?.message,
        };
        if (!last.problem) delete last.problem;
        const key = JSON.stringify(last);
        if (key !== reported) {
          reported = key;
          options.onProgress?.(last);
        }
        return isTenantControlPlaneReady(tcp) ? tcp : undefined;
      },
      () =>
        `last status ${last.status ?? 'pending'}, observedGeneration ${
          last.observedGeneration ?? 'none'
        } of ${last.generation ?? '?'}${
          last.problem ? `; ${last.problem}` : ''
        }`,
    );
  }

  /** Probes the API server's `/readyz`. Never throws for an unhealthy server. */
  async probeReadyz(
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<ReadyzResult> {
    const url = new URL('/readyz', this.server);
    const opts: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const signal = AbortSignal.any([
      AbortSignal.timeout(options.timeoutMs ?? 5000),
      ...(options.signal ? [options.signal] : []),
    ]);
    return new Promise(resolve => {
      const req = https.request(
        url,
        { ...opts, method: 'GET', signal },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString();
            resolve({
              ready: res.statusCode === 200 && body.trim() === 'ok',
              status: res.statusCode,
              body,
            });
          });
          res.on('error', () =>
            resolve({ ready: false, status: res.statusCode }),
          );
        },
      );
      req.on('error', error =>
        resolve({ ready: false, body: (error as Error).message }),
      );
      req.end();
    });
  }

  /**
   * Reads the `admin.conf` kubeconfig of a tenant from the Secret its
   * TenantControlPlane names (`status.kubeconfig.admin.secretName`). Needs
   * the provisioner identity; the `super-admin.*` keys are never read.
   */
  async readTenantAdminKubeconfig(
    namespace: string,
    name: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<string> {
    const tcp = await this.get<any>(
      'kamaji.clastix.io/v1alpha1',
      'TenantControlPlane',
      name,
      namespace,
      options,
    );
    const secretName: string | undefined =
      tcp.status?.kubeconfig?.admin?.secretName;
    if (!secretName) {
      throw new NotFoundError(
        `TenantControlPlane ${namespace}/${name} has no admin kubeconfig yet (status.kubeconfig.admin.secretName is empty)`,
      );
    }
    const secret = await this.get<any>(
      'v1',
      'Secret',
      secretName,
      namespace,
      options,
    );
    const data: string | undefined = secret.data?.['admin.conf'];
    if (!data)
      throw new NotFoundError(
        `Secret ${namespace}/${secretName} has no admin.conf key`,
      );
    return Buffer.from(data, 'base64').toString('utf8');
  }

  /** A client of a tenant's own API server, built from its `admin.conf` kubeconfig. */
  static forTenantCluster(
    adminKubeconfig: string,
    options: { requestTimeoutMs?: number; logger?: LoggerService } = {},
  ): KubernetesClusterClient {
    // a parse error quotes the offending line, which may be key material:
    // only its position is ever reported
    let parsed: any;
    try {
      parsed = parseYaml(adminKubeconfig);
    } catch (error) {
      const at = (error as { linePos?: Array<{ line: number; col: number }> })
        .linePos?.[0];
      throw new InputError(
        `The tenant kubeconfig is not valid YAML${
          at ? ` (line ${at.line}, column ${at.col})` : ''
        }; its content is not shown because it holds credentials`,
      );
    }
    const users: Array<{ user?: Record<string, unknown> }> =
      parsed?.users ?? [];
    if (
      users.some(u => u.user && ('exec' in u.user || 'auth-provider' in u.user))
    ) {
      // a kubeconfig that runs commands is never loaded from a cluster Secret
      throw new NotAllowedError(
        'The tenant kubeconfig uses an exec or auth-provider credential, which the portal does not run',
      );
    }
    const kc = new KubeConfig();
    try {
      kc.loadFromString(adminKubeconfig);
    } catch {
      throw new InputError(
        'The tenant kubeconfig is not a valid kubeconfig; its content is not shown because it holds credentials',
      );
    }
    return new KubernetesClusterClient(kc, options);
  }

  /** A client of a tenant's API server, reached through its admin kubeconfig (provisioner only). */
  async tenantCluster(
    namespace: string,
    name: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<KubernetesClusterClient> {
    const kubeconfig = await this.readTenantAdminKubeconfig(
      namespace,
      name,
      options,
    );
    return KubernetesClusterClient.forTenantCluster(kubeconfig, {
      requestTimeoutMs: this.requestTimeoutMs,
      logger: this.logger,
    });
  }
}

/** A ConflictError whose Status says `AlreadyExists` (a create of a taken name). */
function isAlreadyExists(error: unknown): boolean {
  const cause = (error as { cause?: { status?: { reason?: string } } })?.cause;
  return (
    error instanceof ConflictError && cause?.status?.reason === 'AlreadyExists'
  );
}
