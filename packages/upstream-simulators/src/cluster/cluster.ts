/*
 * One simulated Kubernetes API server: storage, the REST endpoints, server
 * side apply, validation, admission and RBAC.
 */
import type { KubeObject as Obj } from '../types';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  limitRanger,
  podSecurityAdmission,
  quotaStatus,
  resourceQuotaAdmission,
} from './admission';
import { recordUpdate, serverSideApply } from './fields';
import { validatingAdmissionPolicies } from './policies';
import { RbacAuthorizer, UserInfo } from './rbac';
import type { ServiceAccountTokenIssuer } from './tokens';
import {
  ResourceType,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupVersion,
  resourceTypesFor,
} from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import {
  ApiStatusError,
  alreadyExists,
  badRequest,
  forbidden,
  invalid,
  methodNotSupported,
  notFound,
  unauthorized,
} from './status';
import { validateMetadata, validateSemantics } from './semantics';
import type { ObjectValidator } from './validation';

/** A change to a stored object. @public */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  object: Obj;
  old?: Obj;
}

/**
 * A mutating or validating admission step added by a simulated operator.
 *
 * @public
 */
export interface AdmissionHook {
  /** runs before schema validation; may change `obj` */
  mutate?(
    op: 'CREATE' | 'UPDATE',
    rt: ResourceType,
    obj: Obj,
    old: Obj | undefined,
  ): void;
  /** runs after schema validation; throws ApiStatusError to deny */
  validate?(
    op: 'CREATE' | 'UPDATE',
    rt: ResourceType,
    obj: Obj,
    old: Obj | undefined,
    user?: UserInfo,
  ): void;
  /** runs before a delete is carried out; throws ApiStatusError to deny */
  validateDelete?(rt: ResourceType, old: Obj, user?: UserInfo): void;
}

/**
 * Resolves the validator of a kind.
 *
 * @public
 */
export type ValidatorLookup = (
  apiVersion: string,
  kind: string,
) => ObjectValidator | undefined;

/** Options of a write done in-process (by a simulated controller or a test). @public */
export interface WriteOptions {
  manager: string;
  /** when set, RBAC and admission run as this user */
  user?: UserInfo;
  force?: boolean;
  dryRun?: boolean;
}

/** Timings of one simulated cluster. @public */
export interface ClusterTimings {
  /** how long a deleted namespace stays `Terminating` */
  namespaceTerminationMs: number;
}

const SYSTEM: UserInfo = {
  name: 'system:kube-controller-manager',
  groups: ['system:masters'],
};

const key = (
  group: string,
  plural: string,
  ns: string | undefined,
  name: string,
) => `${group}|${plural}|${ns ?? ''}|${name}`;

function nowIso(clock: () => Date) {
  return clock()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

const withoutVolatile = (o: Obj | undefined) => {
  if (!o) return o;
  const c = JSON.parse(JSON.stringify(o));
  delete c.metadata?.resourceVersion;
  delete c.metadata?.managedFields;
  return c;
};

const specOf = (o: Obj | undefined) => {
  if (!o) return undefined;
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
};

type WriteOp = 'create' | 'update' | 'apply' | 'status';

const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** Optimistic concurrency: a stale metadata.resourceVersion is the real 409. */
function checkResourceVersion(
  op: WriteOp,
  rt: ResourceType,
  name: string,
  body: Obj,
  old: Obj | undefined,
) {
  if (
    body.metadata?.resourceVersion &&
    old &&
    body.metadata.resourceVersion !== old.metadata.resourceVersion &&
    op !== 'status'
  ) {
    throw new ApiStatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${
        rt.group ? `${rt.plural}.${rt.group}` : rt.plural
      } "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: rt.group || undefined, kind: rt.plural },
    );
  }
}

/** Schema validation then the kind's semantics; returns the object with schema defaults. */
function validateWrite(
  rt: ResourceType,
  obj: Obj,
  old: Obj | undefined,
  validator: ObjectValidator | undefined,
): Obj {
  const forSchema = structuredClone(obj);
  delete forSchema.metadata.managedFields;
  const v = validator?.validate(forSchema, old) ?? {
    causes: [],
    defaulted: forSchema,
  };
  const semantic = [...validateMetadata(obj), ...validateSemantics(obj, old)];
  // the API server's own message wins over the schema's for the same field
  const flat = (f?: string) => (f ?? '').replace(/\[([^\]]+)\]/g, '.$1');
  const causes = [
    ...v.causes.filter(
      c => !semantic.some(s => flat(s.field) === flat(c.field)),
    ),
    ...semantic,
  ];
  if (causes.length > 0) throw invalid(rt, obj.metadata.name, causes);
  return { ...v.defaulted, metadata: { ...v.defaulted.metadata } };
}

/** Whether a write changes nothing but volatile metadata (a no-op apply writes nothing). */
function isNoOp(obj: Obj, old: Obj | undefined): boolean {
  return (
    !!old &&
    isDeepStrictEqual(
      withoutVolatile({
        ...obj,
        metadata: { ...obj.metadata, generation: old.metadata.generation },
      }),
      withoutVolatile(old),
    )
  );
}

/** What a route answers. */
interface RouteResult {
  code: number;
  body: unknown;
  stream?: (res: ServerResponse) => void;
}

/** The resource a request path names. */
interface RouteTarget {
  rt: ResourceType;
  ns?: string;
  name?: string;
  sub?: string;
}

const resourceNotFound = () =>
  new ApiStatusError(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );

/** Health and version: answered without authentication. */
function unversionedResponse(segs: string[]): RouteResult | undefined {
  if (['readyz', 'livez', 'healthz'].includes(segs[0]) && segs.length === 1)
    return { code: 200, body: 'ok' };
  if (segs[0] === 'version') {
    return {
      code: 200,
      body: {
        major: '1',
        minor: '35',
        gitVersion: 'v1.35.7',
        platform: 'linux/amd64',
        goVersion: 'go1.25.5',
        compiler: 'gc',
      },
    };
  }
  return undefined;
}

/** One simulated API server. @public */
export class SimulatedCluster {
  readonly types: ResourceType[];
  readonly rbac: RbacAuthorizer;
  private readonly objects = new Map<string, Obj>();
  private rv = 1000;
  private readonly listeners: Array<(e: WatchEvent) => void> = [];
  private readonly admission: AdmissionHook[] = [];
  /** issues ServiceAccount tokens (TokenRequest), when this cluster does */
  tokenIssuer?: ServiceAccountTokenIssuer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly watches = new Set<ServerResponse>();
  private stopped = false;
  private ipCounter = 10;

  constructor(
    readonly name: string,
    readonly management: boolean,
    private readonly validators: ValidatorLookup,
    readonly timings: ClusterTimings,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.types = resourceTypesFor(management);
    this.rbac = new RbacAuthorizer({
      list: (g, p, ns) => this.list(g, p, ns),
      get: (g, p, ns, n) => this.get(g, p, ns, n),
    });
    for (const ns of [
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
    ]) {
      this.create(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        { manager: 'kube-apiserver' },
      );
    }
    this.addAdmission(
      validatingAdmissionPolicies({
        list: (g, p) => this.list(g, p),
        namespace: n => this.get('', 'namespaces', undefined, n),
      }),
    );
    this.create(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: {
          name: 'cluster-admin',
          labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
        },
        rules: [
          { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
          { nonResourceURLs: ['*'], verbs: ['*'] },
        ],
      },
      { manager: 'kube-apiserver' },
    );
    // system:basic-user: every authenticated user may review its own access
    this.create(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: {
          name: 'system:basic-user',
          labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
        },
        rules: [
          {
            apiGroups: ['authorization.k8s.io'],
            resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
            verbs: ['create'],
          },
        ],
      },
      { manager: 'kube-apiserver' },
    );
    this.create(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: {
          name: 'system:basic-user',
          labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
        },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'system:basic-user',
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: 'system:authenticated',
          },
        ],
      },
      { manager: 'kube-apiserver' },
    );
  }

  // ---------------------------------------------------------------- plumbing

  onChange(listener: (e: WatchEvent) => void) {
    this.listeners.push(listener);
  }

  addAdmission(hook: AdmissionHook) {
    this.admission.push(hook);
  }

  /** Runs `fn` after `ms`, unless the cluster stops first. */
  later(ms: number, fn: () => void) {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  stop() {
    this.stopped = true;
    for (const res of this.watches) res.end();
    this.watches.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private emit(e: WatchEvent) {
    for (const l of this.listeners) l(e);
  }

  typeFor(apiVersion: string, kind: string): ResourceType | undefined {
    return this.types.find(
      t => groupVersion(t) === apiVersion && t.kind === kind,
    );
  }

  private typeByPlural(group: string, version: string, plural: string) {
    return this.types.find(
      t => t.group === group && t.version === version && t.plural === plural,
    );
  }

  private typeOf(group: string, plural: string) {
    return this.types.find(t => t.group === group && t.plural === plural);
  }

  // ----------------------------------------------------------------- reading

  get(
    group: string,
    plural: string,
    ns: string | undefined,
    name: string,
  ): Obj | undefined {
    const o = this.objects.get(key(group, plural, ns, name));
    return o ? structuredClone(o) : undefined;
  }

  list(group: string, plural: string, ns?: string): Obj[] {
    const prefix = `${group}|${plural}|`;
    const out: Obj[] = [];
    for (const [k, o] of this.objects) {
      if (!k.startsWith(prefix)) continue;
      if (ns !== undefined && o.metadata.namespace !== ns) continue;
      out.push(structuredClone(o));
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  private decorate(rt: ResourceType, o: Obj): Obj {
    if (rt.kind === 'ResourceQuota') {
      o.status = quotaStatus(this.admissionReader, o);
    }
    return o;
  }

  private readonly admissionReader = {
    listNamespaced: (group: string, plural: string, namespace: string) =>
      this.list(group, plural, namespace),
    getNamespace: (name: string) => this.get('', 'namespaces', undefined, name),
  };

  // ---------------------------------------------------------------- writing

  private checkNamespace(
    rt: ResourceType,
    ns: string | undefined,
    name: string,
    creating: boolean,
  ) {
    if (!rt.namespaced) return;
    if (!ns)
      throw badRequest('the server could not find the requested resource');
    const nsObj = this.objects.get(key('', 'namespaces', undefined, ns));
    if (!nsObj)
      throw notFound(
        { group: '', kind: 'Namespace', plural: 'namespaces' },
        ns,
      );
    if (creating && nsObj.status?.phase === 'Terminating') {
      throw new ApiStatusError(
        403,
        'Forbidden',
        `${
          rt.group ? `${rt.plural}.${rt.group}` : rt.plural
        } "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        {
          name,
          kind: rt.plural,
          group: rt.group || undefined,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${ns} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }

  private authorize(
    user: UserInfo | undefined,
    verb: string,
    rt: ResourceType,
    ns: string | undefined,
    name: string | undefined,
    subresource?: string,
  ) {
    if (!user) return;
    if (
      !this.rbac.authorize(user, {
        verb,
        group: rt.group,
        resource: rt.plural,
        subresource,
        namespace: ns,
        name,
      })
    ) {
      throw forbidden(user.name, verb, rt, ns, name, subresource);
    }
  }

  /** create / update / apply / status, through defaulting, validation and admission. */
  private write(
    op: WriteOp,
    rt: ResourceType,
    body: Obj,
    ns: string | undefined,
    name: string,
    opts: WriteOptions,
  ): { object: Obj; created: boolean } {
    const k = key(rt.group, rt.plural, ns, name);
    const stored = this.objects.get(k);
    const old = stored ? structuredClone(stored) : undefined;
    const creating = !old;
    if (op === 'create' && old) throw alreadyExists(rt, name);
    if ((op === 'update' || op === 'status') && !old) throw notFound(rt, name);
    this.checkNamespace(rt, ns, name, creating);
    if (opts.user) this.authorizeWrite(opts.user, op, rt, ns, name, creating);
    checkResourceVersion(op, rt, name, body, old);
    const now = nowIso(this.clock);
    const merged = this.merge(op, rt, body, old, opts, now);
    this.setSystemMetadata(rt, merged.object, ns, name, old, now);
    const obj = this.admit(op, rt, merged.object, old, opts.user);
    if (isNoOp(obj, old)) {
      // (JSON round trips: undefined keys are no difference)
      return {
        object: this.decorate(rt, structuredClone(old!)),
        created: false,
      };
    }
    const object = this.finishWrite(rt, obj, old, merged.managedFields);
    if (opts.dryRun)
      return { object: this.decorate(rt, object), created: creating };
    this.objects.set(k, object);
    this.emit({
      type: creating ? 'ADDED' : 'MODIFIED',
      resource: rt,
      object: structuredClone(object),
      old,
    });
    return {
      object: this.decorate(rt, structuredClone(object)),
      created: creating,
    };
  }

  /** RBAC for a write: its verb, and create too for an apply that creates (patch.go withAuthorization). */
  private authorizeWrite(
    user: UserInfo,
    op: WriteOp,
    rt: ResourceType,
    ns: string | undefined,
    name: string,
    creating: boolean,
  ) {
    const verbs = {
      apply: 'patch',
      status: 'update',
      create: 'create',
      update: 'update',
    } as const;
    // create is authorized without a name, like kube-apiserver does
    this.authorize(
      user,
      verbs[op],
      rt,
      ns,
      op === 'create' ? undefined : name,
      op === 'status' ? 'status' : undefined,
    );
    if (op === 'apply' && creating)
      this.authorize(user, 'create', rt, ns, name);
  }

  /** The new object of a write (apply, status or full body), with its managedFields and system metadata. */
  private merge(
    op: WriteOp,
    rt: ResourceType,
    body: Obj,
    old: Obj | undefined,
    opts: WriteOptions,
    now: string,
  ): { object: Obj; managedFields: unknown } {
    const apiVersion = groupVersion(rt);
    let obj: Obj;
    let managedFields;
    if (op === 'apply') {
      if (body.metadata?.managedFields?.length)
        throw badRequest('metadata.managedFields must be nil');
      const applied = structuredClone(body);
      delete applied.status;
      const r = serverSideApply({
        live: old,
        applied,
        manager: opts.manager,
        force: !!opts.force,
        apiVersion,
        now,
      });
      obj = r.merged;
      managedFields = r.managedFields;
    } else if (op === 'status') {
      obj = structuredClone(old!);
      obj.status = structuredClone(body.status);
      managedFields = recordUpdate({
        before: old,
        after: obj,
        manager: opts.manager,
        apiVersion,
        now,
        subresource: 'status',
      });
    } else {
      obj = structuredClone(body);
      if (rt.subresources?.includes('status')) {
        if (old) obj.status = structuredClone(old.status);
        else delete obj.status;
      }
      managedFields = recordUpdate({
        before: old,
        after: obj,
        manager: opts.manager,
        apiVersion,
        now,
      });
    }
    return { object: obj, managedFields };
  }

  /** apiVersion, kind, name, namespace, uid, timestamps, and the API server's own defaults. */
  private setSystemMetadata(
    rt: ResourceType,
    obj: Obj,
    ns: string | undefined,
    name: string,
    old: Obj | undefined,
    now: string,
  ) {
    obj.apiVersion = groupVersion(rt);
    obj.kind = rt.kind;
    obj.metadata = { ...(obj.metadata ?? {}), name };
    if (rt.namespaced) obj.metadata.namespace = ns;
    else delete obj.metadata.namespace;
    obj.metadata.uid = old?.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp = old?.metadata.creationTimestamp ?? now;
    if (old?.metadata.deletionTimestamp)
      obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    this.defaultsOf(rt, obj, old);
  }

  /**
   * Defaulting, mutating admission, schema and semantic validation, RBAC
   * escalation checks, validating admission and quota: what stands between
   * a request and storage. Throws the API server's Status on refusal.
   */
  private admit(
    op: WriteOp,
    rt: ResourceType,
    merged: Obj,
    old: Obj | undefined,
    user: UserInfo | undefined,
  ): Obj {
    let obj = merged;
    const creating = !old;
    const admissionOp = creating ? 'CREATE' : 'UPDATE';
    const validator = this.validators(obj.apiVersion, rt.kind);
    // structural defaults are applied when the object is decoded, before
    // mutating admission (Kamaji's webhook sees CRD defaults)
    if (validator && op !== 'status') {
      const { managedFields: mf, ...meta } = obj.metadata;
      const defaulted = validator.validate(
        { ...obj, metadata: meta },
        old,
      ).defaulted;
      obj = {
        ...defaulted,
        metadata: { ...defaulted.metadata, managedFields: mf },
      };
    }
    if (op !== 'status')
      for (const h of this.admission) h.mutate?.(admissionOp, rt, obj, old);
    if (rt.kind === 'Pod' && creating) limitRanger(this.admissionReader, obj);
    obj = validateWrite(rt, obj, old, validator);
    if (user && op !== 'status' && RBAC_KINDS.includes(rt.kind)) {
      const denial = this.rbac.checkEscalation(user, obj);
      if (denial) {
        throw new ApiStatusError(
          403,
          'Forbidden',
          `${rt.plural}.${rt.group} "${obj.metadata.name}" is forbidden: ${denial}`,
          { name: obj.metadata.name, group: rt.group, kind: rt.plural },
        );
      }
    }
    if (op !== 'status')
      for (const h of this.admission)
        h.validate?.(admissionOp, rt, obj, old, user);
    if (creating) {
      if (rt.kind === 'Pod') podSecurityAdmission(this.admissionReader, obj);
      resourceQuotaAdmission(this.admissionReader, rt.group, rt.plural, obj);
    }
    return obj;
  }

  /** generation, managedFields and resourceVersion of a changed object, metadata in the API server's order. */
  private finishWrite(
    rt: ResourceType,
    obj: Obj,
    old: Obj | undefined,
    managedFields: unknown,
  ): Obj {
    if (rt.generation) {
      const changed = !old || !isDeepStrictEqual(specOf(obj), specOf(old));
      obj.metadata.generation =
        (old?.metadata.generation ?? 0) + (changed ? 1 : 0);
    } else {
      delete obj.metadata.generation;
    }
    obj.metadata.managedFields = managedFields;
    obj.metadata.resourceVersion = String(++this.rv);
    const {
      name: n,
      namespace: nsp,
      uid,
      resourceVersion,
      generation,
      creationTimestamp,
      deletionTimestamp,
      ...rest
    } = obj.metadata;
    obj.metadata = JSON.parse(
      JSON.stringify({
        name: n,
        namespace: nsp,
        uid,
        resourceVersion,
        generation,
        creationTimestamp,
        deletionTimestamp,
        ...rest,
      }),
    );
    return obj;
  }

  /** What the API server fills in on its own (registry strategies). */
  private defaultsOf(rt: ResourceType, obj: Obj, old: Obj | undefined) {
    switch (rt.kind) {
      case 'Namespace':
        obj.metadata.labels = {
          ...(obj.metadata.labels ?? {}),
          'kubernetes.io/metadata.name': obj.metadata.name,
        };
        obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
        obj.status ??= old?.status ?? { phase: 'Active' };
        break;
      case 'Service': {
        const spec = (obj.spec ??= {});
        spec.type ??= 'ClusterIP';
        spec.sessionAffinity ??= 'None';
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
        spec.internalTrafficPolicy ??= 'Cluster';
        if (spec.type === 'LoadBalancer' || spec.type === 'NodePort')
          spec.externalTrafficPolicy ??= 'Cluster';
        if (!spec.clusterIP) {
          spec.clusterIP =
            old?.spec?.clusterIP ??
            `10.96.${Math.floor(this.ipCounter / 250)}.${
              (this.ipCounter++ % 250) + 2
            }`;
          spec.clusterIPs = [spec.clusterIP];
        }
        (spec.ports ?? []).forEach((p: Obj, i: number) => {
          p.protocol ??= 'TCP';
          p.targetPort ??= p.port;
          if (spec.type !== 'ClusterIP')
            p.nodePort ??=
              old?.spec?.ports?.[i]?.nodePort ??
              30000 + ((this.ipCounter++ * 7) % 2767);
        });
        obj.status ??= old?.status ?? { loadBalancer: {} };
        break;
      }
      case 'Secret':
        obj.type ??= 'Opaque';
        if (obj.stringData) {
          obj.data = { ...(obj.data ?? {}) };
          for (const [k, v] of Object.entries<string>(obj.stringData))
            obj.data[k] = Buffer.from(v).toString('base64');
          delete obj.stringData;
        }
        for (const [k, v] of Object.entries<any>(obj.data ?? {})) {
          if (
            typeof v !== 'string' ||
            !/^[A-Za-z0-9+/]*={0,2}$/.test(v) ||
            v.length % 4 !== 0
          ) {
            throw badRequest(
              `illegal base64 data at input byte 0 (data key "${k}")`,
            );
          }
        }
        break;
      case 'ServiceAccount':
        break;
      default:
    }
  }

  /** A write done in-process (controllers, seeding, tests). */
  private writeObject(
    op: 'create' | 'update' | 'apply' | 'status',
    obj: Obj,
    opts: WriteOptions,
  ) {
    return this.write(
      op,
      this.requireType(obj),
      obj,
      obj.metadata?.namespace,
      obj.metadata?.name,
      opts,
    );
  }

  create(obj: Obj, opts: WriteOptions): Obj {
    return this.writeObject('create', obj, opts).object;
  }

  update(obj: Obj, opts: WriteOptions): Obj {
    return this.writeObject('update', obj, opts).object;
  }

  updateStatus(obj: Obj, opts: WriteOptions): Obj {
    return this.writeObject('status', obj, opts).object;
  }

  /** Server-side apply; `created` tells a 201 from a 200. */
  apply(obj: Obj, opts: WriteOptions): { object: Obj; created: boolean } {
    return this.writeObject('apply', obj, opts);
  }

  private requireType(obj: Obj) {
    const rt = this.typeFor(obj.apiVersion, obj.kind);
    if (!rt)
      throw badRequest(
        `no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`,
      );
    return rt;
  }

  /** Deletes an object (namespaces terminate first); owned objects are garbage-collected. */
  delete(
    group: string,
    plural: string,
    ns: string | undefined,
    name: string,
    user?: UserInfo,
  ): Obj {
    const rt = this.typeOf(group, plural);
    if (!rt) throw badRequest(`unknown resource ${plural}`);
    this.authorize(user, 'delete', rt, ns, name);
    const k = key(group, plural, ns, name);
    const obj = this.objects.get(k);
    if (!obj) throw notFound(rt, name);
    for (const h of this.admission) h.validateDelete?.(rt, obj, user);
    if (rt.kind === 'Namespace') {
      if (obj.status?.phase !== 'Terminating') {
        const next = structuredClone(obj);
        next.metadata.deletionTimestamp = nowIso(this.clock);
        next.metadata.resourceVersion = String(++this.rv);
        next.status = {
          phase: 'Terminating',
          conditions: [
            {
              type: 'NamespaceDeletionContentFailure',
              status: 'False',
              reason: 'ContentDeleted',
              message:
                'All content successfully deleted, may be waiting on finalization',
              lastTransitionTime: next.metadata.deletionTimestamp,
            },
          ],
        };
        this.objects.set(k, next);
        this.emit({
          type: 'MODIFIED',
          resource: rt,
          object: structuredClone(next),
          old: obj,
        });
        this.later(this.timings.namespaceTerminationMs, () =>
          this.finishNamespace(name),
        );
        return structuredClone(next);
      }
      return structuredClone(obj);
    }
    this.remove(rt, k, obj);
    return structuredClone(obj);
  }

  private remove(rt: ResourceType, k: string, obj: Obj) {
    if (!this.objects.delete(k)) return;
    this.emit({ type: 'DELETED', resource: rt, object: structuredClone(obj) });
    // garbage collection of dependents (background propagation)
    const uid = obj.metadata.uid;
    for (const [dk, dep] of [...this.objects]) {
      if (
        (dep.metadata.ownerReferences ?? []).some((r: Obj) => r.uid === uid)
      ) {
        const drt = this.types.find(t =>
          dk.startsWith(`${t.group}|${t.plural}|`),
        );
        if (drt) this.remove(drt, dk, dep);
      }
    }
  }

  private finishNamespace(name: string) {
    for (const [k, o] of [...this.objects]) {
      if (o.metadata.namespace === name) {
        const rt = this.types.find(t =>
          k.startsWith(`${t.group}|${t.plural}|`),
        );
        if (rt) this.remove(rt, k, o);
      }
    }
    const nsType = this.typeOf('', 'namespaces')!;
    const k = key('', 'namespaces', undefined, name);
    const obj = this.objects.get(k);
    if (obj) this.remove(nsType, k, obj);
  }

  // -------------------------------------------------------------------- HTTP

  /** Serves one request. `user` is undefined for anonymous requests. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    query: URLSearchParams,
    user: UserInfo | undefined,
  ) {
    try {
      const result = await this.route(req, pathname, query, user);
      if (result.stream) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        result.stream(res);
        return;
      }
      if (typeof result.body === 'string') {
        res.writeHead(result.code, {
          'Content-Type': 'text/plain; charset=utf-8',
        });
        res.end(result.body);
      } else {
        res.writeHead(result.code, {
          'Content-Type': 'application/json',
          'Audit-Id': randomUUID(),
        });
        res.end(JSON.stringify(result.body));
      }
    } catch (e) {
      const err =
        e instanceof ApiStatusError
          ? e
          : new ApiStatusError(
              500,
              'InternalError',
              `Internal error occurred: ${(e as Error).message}`,
            );
      res.writeHead(err.code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(err.toStatus()));
    }
  }

  private async route(
    req: IncomingMessage,
    pathname: string,
    query: URLSearchParams,
    user: UserInfo | undefined,
  ): Promise<RouteResult> {
    const method = req.method ?? 'GET';
    const segs = pathname.split('/').filter(Boolean);
    const unversioned = unversionedResponse(segs);
    if (unversioned) return unversioned;
    if (!user) throw unauthorized();
    const target = this.resolveTarget(segs);
    if ('body' in target) return target;
    const { rt } = target;
    if (target.sub === 'token' && rt.kind === 'ServiceAccount') {
      if (method !== 'POST') throw methodNotSupported(rt, method.toLowerCase());
      return this.handleTokenRequest(req, user, target);
    }
    if (rt.virtual) {
      if (method !== 'POST') throw methodNotSupported(rt, method.toLowerCase());
      const body = await readBody(req);
      return { code: 201, body: this.review(rt, body, user) };
    }
    const handlers: Record<
      string,
      (
        req: IncomingMessage,
        query: URLSearchParams,
        user: UserInfo,
        target: RouteTarget,
      ) => Promise<RouteResult>
    > = {
      GET: this.handleGet,
      POST: this.handlePost,
      PUT: this.handlePut,
      PATCH: this.handlePatch,
      DELETE: this.handleDelete,
    };
    const handler = handlers[method];
    if (!handler) throw methodNotSupported(rt, method.toLowerCase());
    return handler.call(this, req, query, user, target);
  }

  /** TokenRequest: a short-lived, audience-bound ServiceAccount token. */
  private async handleTokenRequest(
    req: IncomingMessage,
    user: UserInfo,
    target: RouteTarget,
  ): Promise<RouteResult> {
    const { rt, ns, name } = target;
    this.authorize(user, 'create', rt, ns, name, 'token');
    const sa = this.get('', 'serviceaccounts', ns, name!);
    if (!sa) throw notFound(rt, name!);
    if (!this.tokenIssuer)
      throw new ApiStatusError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    const request = (await readBody(req)) ?? {};
    const issued = this.tokenIssuer.issue(sa, request.spec ?? {});
    return {
      code: 201,
      body: {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name, namespace: ns, creationTimestamp: null },
        spec: {
          audiences: issued.audiences,
          expirationSeconds: Math.round(
            (Date.parse(issued.expirationTimestamp) - Date.now()) / 1000,
          ),
          boundObjectRef: null,
        },
        status: {
          token: issued.token,
          expirationTimestamp: issued.expirationTimestamp,
        },
      },
    };
  }

  /** Discovery of groups and versions, or the resource a path names. */
  private resolveTarget(segs: string[]): RouteTarget | RouteResult {
    if (segs[0] === 'api' && segs.length === 1)
      return { code: 200, body: apiVersions() };
    if (segs[0] === 'apis' && segs.length === 1)
      return { code: 200, body: apiGroupList(this.types) };
    if (segs[0] === 'apis' && segs.length === 2) {
      const g = apiGroup(this.types, segs[1]);
      if (!g) throw resourceNotFound();
      return { code: 200, body: { kind: 'APIGroup', apiVersion: 'v1', ...g } };
    }
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs[1] === 'v1') {
      [group, version, rest] = ['', 'v1', segs.slice(2)];
    } else if (segs[0] === 'apis' && segs.length >= 3) {
      [group, version, rest] = [segs[1], segs[2], segs.slice(3)];
    } else {
      throw resourceNotFound();
    }
    if (rest.length === 0) {
      const list = apiResourceList(this.types, group, version);
      if (!list) throw resourceNotFound();
      return { code: 200, body: list };
    }
    let ns: string | undefined;
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    const nsType = group === '' && rest[0] === 'namespaces';
    if (
      rest[0] === 'namespaces' &&
      rest.length >= 3 &&
      !(nsType && ['status', 'finalize'].includes(rest[2]) && rest.length === 3)
    ) {
      [ns, plural, name, sub] = [rest[1], rest[2], rest[3], rest[4]];
    } else {
      [plural, name, sub] = [rest[0], rest[1], rest[2]];
    }
    const rt = this.typeByPlural(group, version, plural);
    if (!rt || (rt.namespaced && !ns && name) || (!rt.namespaced && ns))
      throw resourceNotFound();
    if (sub && !(rt.subresources ?? []).includes(sub)) throw resourceNotFound();
    return { rt, ns, name, sub };
  }

  /** GET: one object, a list (selectors, pages) or a watch. */
  private async handleGet(
    _req: IncomingMessage,
    query: URLSearchParams,
    user: UserInfo,
    target: RouteTarget,
  ): Promise<RouteResult> {
    const { rt, ns, name, sub } = target;
    if (query.get('watch') === 'true' || query.get('watch') === '1') {
      if (name) throw methodNotSupported(rt, 'watch');
      this.authorize(user, 'watch', rt, ns, undefined);
      return {
        code: 200,
        body: undefined,
        stream: this.watchStream(rt, ns, query),
      };
    }
    if (name) {
      this.authorize(user, 'get', rt, ns, name, sub);
      const o = this.get(rt.group, rt.plural, ns, name);
      if (!o) throw notFound(rt, name);
      return { code: 200, body: this.decorate(rt, o) };
    }
    this.authorize(user, 'list', rt, ns, undefined);
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), rt.kind);
    const builtin = !rt.group.endsWith('clastix.io');
    const items = this.list(rt.group, rt.plural, ns)
      .filter(o => labels(o.metadata.labels) && fields(o))
      .map(o => {
        const d = this.decorate(rt, o);
        if (builtin) {
          delete d.apiVersion;
          delete d.kind;
        }
        return d;
      });
    const page = paginate(items, query, this.rv);
    return {
      code: 200,
      body: {
        kind: `${rt.kind}List`,
        apiVersion: groupVersion(rt),
        metadata: page.metadata,
        items: page.items,
      },
    };
  }

  /** POST: create. */
  private async handlePost(
    req: IncomingMessage,
    query: URLSearchParams,
    user: UserInfo,
    target: RouteTarget,
  ): Promise<RouteResult> {
    const { rt, ns, name } = target;
    if (name) throw methodNotSupported(rt, 'create');
    const body = await readBody(req);
    const bodyName = body.metadata?.name;
    if (!bodyName)
      throw invalid(rt, '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    checkBodyNamespace(body, ns);
    this.authorize(user, 'create', rt, ns, undefined);
    const r = this.write('create', rt, body, ns, bodyName, {
      manager: query.get('fieldManager') ?? userAgentManager(req),
      user,
      dryRun: query.get('dryRun') === 'All',
    });
    return { code: 201, body: r.object };
  }

  /** PUT: update, or the status subresource. */
  private async handlePut(
    req: IncomingMessage,
    query: URLSearchParams,
    user: UserInfo,
    target: RouteTarget,
  ): Promise<RouteResult> {
    const { rt, ns, name, sub } = target;
    if (!name) throw methodNotSupported(rt, 'update');
    const body = await readBody(req);
    checkBodyNamespace(body, ns);
    if (body.metadata?.name !== name)
      throw badRequest(
        `the name of the object (${body.metadata?.name}) does not match the name on the URL (${name})`,
      );
    const r = this.write(
      sub === 'status' ? 'status' : 'update',
      rt,
      body,
      ns,
      name,
      {
        manager: query.get('fieldManager') ?? userAgentManager(req),
        user,
        dryRun: query.get('dryRun') === 'All',
      },
    );
    return { code: 200, body: r.object };
  }

  /** PATCH: server-side apply, or a merge patch. */
  private async handlePatch(
    req: IncomingMessage,
    query: URLSearchParams,
    user: UserInfo,
    target: RouteTarget,
  ): Promise<RouteResult> {
    const { rt, ns, name, sub } = target;
    if (!name) throw methodNotSupported(rt, 'patch');
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
    const raw = await readRaw(req);
    const dryRun = query.get('dryRun') === 'All';
    if (type === 'application/apply-patch+yaml')
      return this.handleApply(raw, query, user, { ...target, name });
    if (query.get('force'))
      throw badRequest('force is not allowed for patch types other than apply');
    if (
      type === 'application/merge-patch+json' ||
      type === 'application/strategic-merge-patch+json'
    ) {
      this.authorize(user, 'patch', rt, ns, name, sub);
      const current = this.get(rt.group, rt.plural, ns, name);
      if (!current) throw notFound(rt, name);
      const patch = JSON.parse(raw);
      const merged = mergePatch(current, patch);
      const r = this.write(
        sub === 'status' ? 'status' : 'update',
        rt,
        merged,
        ns,
        name,
        {
          manager: query.get('fieldManager') ?? userAgentManager(req),
          dryRun,
        },
      );
      return { code: 200, body: r.object };
    }
    throw new ApiStatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    );
  }

  /** Server-side apply (`application/apply-patch+yaml`). */
  private handleApply(
    raw: string,
    query: URLSearchParams,
    user: UserInfo,
    target: RouteTarget & { name: string },
  ): RouteResult {
    const { rt, ns, name, sub } = target;
    const dryRun = query.get('dryRun') === 'All';
    const fieldManager = query.get('fieldManager');
    if (!fieldManager) throw badRequest('PATCH request requires fieldManager');
    let body: Obj;
    try {
      body = parseYaml(raw);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!body || typeof body !== 'object')
      throw badRequest('invalid object: the apply patch is empty');
    checkBodyNamespace(body, ns);
    if (body.metadata?.name && body.metadata.name !== name)
      throw badRequest(
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
      );
    if (body.apiVersion !== groupVersion(rt) || body.kind !== rt.kind) {
      throw badRequest(
        `the API version in the data (${
          body.apiVersion
        }) does not match the expected API version (${groupVersion(rt)})`,
      );
    }
    if (sub === 'status') {
      const r = this.write('status', rt, body, ns, name, {
        manager: fieldManager,
        user,
        dryRun,
      });
      return { code: 200, body: r.object };
    }
    const r = this.write('apply', rt, body, ns, name, {
      manager: fieldManager,
      user,
      force: query.get('force') === 'true',
      dryRun,
    });
    return { code: r.created ? 201 : 200, body: r.object };
  }

  /** DELETE: one object. */
  private async handleDelete(
    _req: IncomingMessage,
    _query: URLSearchParams,
    user: UserInfo,
    target: RouteTarget,
  ): Promise<RouteResult> {
    const { rt, ns, name } = target;
    if (!name) throw methodNotSupported(rt, 'deletecollection');
    const deleted = this.delete(rt.group, rt.plural, ns, name, user);
    if (rt.kind === 'Namespace' || rt.kind === 'Pod')
      return { code: 200, body: deleted };
    return {
      code: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {
          name,
          group: rt.group || undefined,
          kind: rt.plural,
          uid: deleted.metadata.uid,
        },
      },
    };
  }

  /**
   * A watch: newline-delimited `{type, object}` events. Without a
   * resourceVersion (or with "0") the current objects come first as ADDED.
   */
  private watchStream(
    rt: ResourceType,
    ns: string | undefined,
    query: URLSearchParams,
  ) {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), rt.kind);
    const matches = (o: Obj) =>
      (ns === undefined || o.metadata.namespace === ns) &&
      labels(o.metadata.labels) &&
      fields(o);
    return (res: ServerResponse) => {
      const send = (type: string, o: Obj) =>
        res.write(
          `${JSON.stringify({ type, object: this.decorate(rt, o) })}\n`,
        );
      const rv = query.get('resourceVersion');
      if (!rv || rv === '0') {
        for (const o of this.list(rt.group, rt.plural, ns))
          if (matches(o)) send('ADDED', o);
      }
      const listener = (e: WatchEvent) => {
        if (e.resource !== rt) return;
        if (matches(e.object)) send(e.type, e.object);
        else if (e.old && matches(e.old)) send('DELETED', e.object);
      };
      this.listeners.push(listener);
      this.watches.add(res);
      res.on('close', () => {
        this.watches.delete(res);
        const i = this.listeners.indexOf(listener);
        if (i >= 0) this.listeners.splice(i, 1);
      });
      const timeout = Number(query.get('timeoutSeconds') ?? 0);
      if (timeout > 0) this.later(timeout * 1000, () => res.end());
    };
  }

  /** SelfSubjectAccessReview. */
  private review(rt: ResourceType, body: Obj, user: UserInfo) {
    if (rt.kind !== 'SelfSubjectAccessReview')
      throw methodNotSupported(rt, 'create');
    const ra = body.spec?.resourceAttributes;
    const nra = body.spec?.nonResourceAttributes;
    if (!ra && !nra)
      throw invalid(rt, '', [
        {
          reason: 'FieldValueRequired',
          message:
            'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
          field: 'spec.resourceAttributes',
        },
      ]);
    const allowed = ra
      ? this.rbac.authorize(user, {
          verb: ra.verb,
          group: ra.group ?? '',
          resource: ra.resource,
          subresource: ra.subresource || undefined,
          namespace: ra.namespace || undefined,
          name: ra.name || undefined,
        })
      : user.groups.includes('system:masters');
    return {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: body.spec,
      status: allowed
        ? {
            allowed: true,
            reason: 'RBAC: allowed by ClusterRoleBinding or RoleBinding',
          }
        : { allowed: false },
    };
  }
}

/**
 * `limit` and `continue` of list requests: the continue token is opaque to
 * clients and carries the offset and the resourceVersion of the first page.
 */
function paginate<T>(items: T[], query: URLSearchParams, rv: number) {
  const limit = Number(query.get('limit') ?? 0);
  let start = 0;
  let listRv = String(rv);
  const token = query.get('continue');
  if (token) {
    let decoded: { start?: unknown; rv?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString());
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
    if (typeof decoded.start !== 'number' || typeof decoded.rv !== 'string') {
      throw badRequest(
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      );
    }
    start = decoded.start;
    listRv = decoded.rv;
  }
  if (!Number.isInteger(limit) || limit < 0)
    throw badRequest(`invalid limit: ${query.get('limit')}`);
  const pageItems =
    limit > 0 ? items.slice(start, start + limit) : items.slice(start);
  const next = start + pageItems.length;
  const more = limit > 0 && next < items.length;
  return {
    items: pageItems,
    metadata: {
      resourceVersion: listRv,
      ...(more
        ? {
            continue: Buffer.from(
              JSON.stringify({ start: next, rv: listRv }),
            ).toString('base64url'),
            remainingItemCount: items.length - next,
          }
        : {}),
    },
  };
}

function userAgentManager(req: IncomingMessage) {
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0];
}

function checkBodyNamespace(body: Obj, ns: string | undefined) {
  if (ns && body.metadata?.namespace && body.metadata.namespace !== ns) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  if (ns) {
    body.metadata = { ...(body.metadata ?? {}), namespace: ns };
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Obj, patch: Obj): Obj {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return patch;
  const out: Obj =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readBody(req: IncomingMessage): Promise<Obj> {
  const raw = await readRaw(req);
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw badRequest(
      `couldn't get version/kind; json parse error: ${(e as Error).message}`,
    );
  }
}

export { SYSTEM };
