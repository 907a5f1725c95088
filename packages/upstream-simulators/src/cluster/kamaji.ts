/*
 * A simulated Kamaji operator on the management cluster: the mutating and
 * validating webhooks of TenantControlPlane, and a controller that renders a
 * tenant's Secrets, Service, Deployment, ReplicaSet and Pods (through the
 * namespace's LimitRange, ResourceQuota and Pod Security admission, like the
 * real kube-controller-manager would), then walks the status from
 * Provisioning to Ready and starts the tenant's own simulated API server.
 */
import { createHash } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { SimulatedCluster, WatchEvent } from './cluster';
import { KeyPair } from './pki';
import { ApiStatusError } from './status';

type Obj = Record<string, any>;

const MANAGER = 'kamaji';
/** What the simulated Secrets hold where Kamaji writes a private key. */
const PLACEHOLDER_KEY = 'simulated-key-material-not-a-real-key';
const WEBHOOK = 'vtenantcontrolplane.kb.io';
const SYSTEM_WRITE = { manager: MANAGER };

/**
 * Where a tenant's simulated API server listens.
 *
 * @public
 */
export interface TenantEndpoint {
  host: string;
  port: number;
}

/**
 * Hooks the Kamaji simulation needs from the process that hosts it.
 *
 * @public
 */
export interface KamajiHost {
  caPem: string;
  /** starts (or returns) the API server of a tenant */
  startTenant(namespace: string, name: string): Promise<TenantEndpoint>;
  stopTenant(namespace: string, name: string): Promise<void>;
  /** whether the tenant's API server answers (its pods are Ready) */
  setTenantReady(namespace: string, name: string, ready: boolean): void;
  issueClient(user: string, groups: string[]): Promise<KeyPair>;
}

/** Tunables of the simulated Kamaji. @public */
export interface KamajiOptions {
  /** time from a spec change until the control plane is Ready (default 1500 ms) */
  readyDelayMs: number;
  /** time until the controller first reconciles a change (default 20 ms) */
  reconcileLagMs: number;
  /** DataStore used when a TenantControlPlane names none */
  defaultDataStore: string;
  /** newest Kubernetes version Kamaji supports */
  maxKubernetesVersion: string;
}

const semver = (v: string) => {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
};
const cmp = (a: number[], b: number[]) =>
  a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

function hash(value: unknown, length = 10) {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256').update(JSON.stringify(value)).digest();
  return Array.from(
    digest.subarray(0, length),
    b => alphabet[b % alphabet.length],
  ).join('');
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const checksum = (v: unknown) =>
  createHash('md5').update(JSON.stringify(v)).digest('hex');

/** The simulated Kamaji operator. @public */
/** What the children of one control plane are rendered from. */
interface RenderContext {
  tcp: Obj;
  name: string;
  namespace: string;
  port: number;
  labels: Record<string, string>;
  ds: Obj | undefined;
  driver: string;
  stamp: string;
  publicServer: string;
  svcServer: string;
  secret(suffix: string, data: Record<string, string>): Obj;
}

/** @public */
export class KamajiSimulation {
  private readonly held = new Set<string>();
  private readonly pending = new Set<string>();
  private readonly tenants = new Map<string, TenantEndpoint>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly host: KamajiHost,
    readonly options: KamajiOptions,
  ) {
    cluster.addAdmission({
      mutate: (_op, rt, obj) => {
        if (rt.kind === 'TenantControlPlane') this.defaults(obj);
      },
      validate: (_op, rt, obj, old) => {
        if (rt.kind === 'TenantControlPlane') this.validateTcp(obj, old);
      },
    });
    cluster.onChange(e => this.onChange(e));
  }

  /** Stops reconciling a control plane (it stays in its current status). */
  hold(namespace: string, name: string) {
    this.held.add(`${namespace}/${name}`);
  }

  /** Resumes a held control plane. */
  release(namespace: string, name: string) {
    const id = `${namespace}/${name}`;
    this.held.delete(id);
    if (this.pending.has(id)) this.schedule(namespace, name, 0);
  }

  /** Resolves once no reconcile is running (for tests). */
  async idle() {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  endpointOf(namespace: string, name: string) {
    return this.tenants.get(`${namespace}/${name}`);
  }

  // --------------------------------------------------------------- webhooks

  private defaults(tcp: Obj) {
    const spec = (tcp.spec ??= {});
    spec.dataStore ??= this.options.defaultDataStore;
    spec.dataStoreSchema ??= tcp.metadata.uid.replace(/-/g, '_');
    spec.dataStoreUsername ??= tcp.metadata.uid.replace(/-/g, '_');
    const np = (spec.networkProfile ??= {});
    // the singular CIDRs (CRD defaults 10.96.0.0/16, 10.244.0.0/16) are copied into the lists
    np.serviceCidrs ??= [np.serviceCidr ?? '10.96.0.0/16'];
    np.podCidrs ??= [np.podCidr ?? '10.244.0.0/16'];
    if (!np.dnsServiceIPs?.length) {
      const cidr: string =
        np.serviceCidr ?? np.serviceCidrs?.[0] ?? '10.96.0.0/16';
      const base = cidr.split('/')[0].split('.');
      if (base.length === 4)
        np.dnsServiceIPs = [`${base[0]}.${base[1]}.${base[2]}.10`];
    }
  }

  private deny(message: string): never {
    throw new ApiStatusError(
      403,
      'Forbidden',
      `admission webhook "${WEBHOOK}" denied the request: ${message}`,
    );
  }

  private validateTcp(tcp: Obj, old: Obj | undefined) {
    const ds = tcp.spec?.dataStore;
    if (
      ds &&
      !this.cluster.get('kamaji.clastix.io', 'datastores', undefined, ds)
    ) {
      this.deny(`DataStore.kamaji.clastix.io "${ds}" not found`);
    }
    const version = semver(tcp.spec?.kubernetes?.version);
    const max = semver(this.options.maxKubernetesVersion)!;
    if (!version)
      this.deny(
        `unable to parse the Kubernetes version "${tcp.spec?.kubernetes?.version}"`,
      );
    if (cmp(version, max) > 0) {
      this.deny(
        `unable to create a TenantControlPlane with a Kubernetes version greater than the supported one, actually ${this.options.maxKubernetesVersion}`,
      );
    }
    const previous = semver(old?.spec?.kubernetes?.version);
    if (previous && cmp(version, previous) < 0) {
      this.deny(
        `unable to downgrade a TenantControlPlane from ${
          old!.spec.kubernetes.version
        } to ${tcp.spec.kubernetes.version}`,
      );
    }
    if (previous && version[1] - previous[1] > 1) {
      this.deny(
        `unable to upgrade a TenantControlPlane by more than one minor version at once, from ${
          old!.spec.kubernetes.version
        } to ${tcp.spec.kubernetes.version}`,
      );
    }
  }

  // ------------------------------------------------------------- controller

  private onChange(e: WatchEvent) {
    const { kind } = e.resource;
    if (kind === 'TenantControlPlane') {
      const { namespace, name } = e.object.metadata;
      if (e.type === 'DELETED') {
        this.track(
          this.host
            .stopTenant(namespace, name)
            .then(() => this.tenants.delete(`${namespace}/${name}`)),
        );
        this.cluster.later(0, () => this.refreshDataStores());
        return;
      }
      const behind =
        (e.object.status?.observedGeneration ?? 0) <
        e.object.metadata.generation;
      const changed =
        e.object.metadata.generation !== e.old?.metadata.generation;
      // removing kamaji.clastix.io/paused resumes reconciliation
      const resumed =
        !!e.old &&
        this.annotationPaused(e.old) &&
        !this.annotationPaused(e.object);
      if (behind && (changed || resumed)) {
        this.schedule(namespace, name, this.options.reconcileLagMs);
      }
    }
    if (
      kind === 'DataStore' &&
      e.type !== 'DELETED' &&
      e.object.metadata.generation !== e.old?.metadata.generation
    ) {
      this.cluster.later(0, () => this.refreshDataStores());
    }
  }

  private track(p: Promise<unknown>) {
    const q = p.catch(() => undefined).finally(() => this.inFlight.delete(q));
    this.inFlight.add(q);
  }

  private schedule(namespace: string, name: string, delay: number) {
    const id = `${namespace}/${name}`;
    this.pending.add(id);
    this.cluster.later(delay, () =>
      this.track(this.startReconcile(namespace, name)),
    );
  }

  private get(namespace: string, name: string) {
    return this.cluster.get(
      'kamaji.clastix.io',
      'tenantcontrolplanes',
      namespace,
      name,
    );
  }

  private async startReconcile(namespace: string, name: string) {
    const id = `${namespace}/${name}`;
    const tcp = this.get(namespace, name);
    if (!tcp) return;
    if (this.annotationPaused(tcp)) return;
    const wasReady = !!tcp.status?.kubernetesResources?.version?.version;
    const versionChanged =
      wasReady &&
      tcp.status.kubernetesResources.version.version !==
        tcp.spec.kubernetes.version;
    const progress = versionChanged ? 'Upgrading' : 'Provisioning';
    const endpoint = await this.host.startTenant(namespace, name);
    this.tenants.set(id, endpoint);
    const children = await this.renderChildren(tcp, endpoint);
    const rollout = this.rollout(tcp, children.podTemplate);
    this.writeStatus(tcp, s => {
      s.kubernetesResources ??= {};
      s.kubernetesResources.version = {
        ...(s.kubernetesResources.version ?? {}),
        status: rollout.failure ? 'NotReady' : progress,
      };
      s.controlPlaneEndpoint = `${endpoint.host}:${endpoint.port}`;
      Object.assign(s, children.status);
      s.kubernetesResources.deployment = rollout.deploymentStatus(false);
      s.kubernetesResources.service = children.serviceStatus;
    });
    this.refreshDataStores();
    if (rollout.failure) {
      // the ReplicaSet controller retries; so does this simulation
      this.schedule(namespace, name, this.options.readyDelayMs);
      return;
    }
    this.cluster.later(this.options.readyDelayMs, () =>
      this.track(
        this.finishReconcile(namespace, name, tcp.metadata.generation),
      ),
    );
  }

  private async finishReconcile(
    namespace: string,
    name: string,
    generation: number,
  ) {
    const id = `${namespace}/${name}`;
    if (this.held.has(id)) return; // release() schedules a new reconcile
    const tcp = this.get(namespace, name);
    if (
      !tcp ||
      tcp.metadata.generation !== generation ||
      this.annotationPaused(tcp)
    )
      return;
    this.pending.delete(id);
    const deploymentName = name;
    const deployment = this.cluster.get(
      'apps',
      'deployments',
      namespace,
      deploymentName,
    );
    const replicas = tcp.spec.controlPlane?.deployment?.replicas ?? 2;
    // the pods become Ready; old ReplicaSets are scaled away (the surge ends)
    for (const rs of this.cluster.list('apps', 'replicasets', namespace)) {
      if (!this.ownedBy(rs, deployment)) continue;
      const current =
        rs.metadata.labels?.['pod-template-hash'] ===
        deployment?.spec.template.metadata.labels['pod-template-hash'];
      if (!current) {
        this.cluster.delete('apps', 'replicasets', namespace, rs.metadata.name);
        continue;
      }
      for (const pod of this.cluster.list('', 'pods', namespace)) {
        if (!this.ownedBy(pod, rs)) continue;
        pod.status = runningPodStatus(pod, tcp);
        this.cluster.updateStatus(pod, SYSTEM_WRITE);
      }
      rs.status = {
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        observedGeneration: rs.metadata.generation,
      };
      this.cluster.updateStatus(rs, SYSTEM_WRITE);
    }
    if (deployment) {
      deployment.status = deploymentStatus(
        deployment,
        replicas,
        true,
        this.currentRs(namespace, deployment),
      );
      this.cluster.updateStatus(deployment, SYSTEM_WRITE);
    }
    const sleeping = replicas === 0;
    const writeLimited = Object.values(tcp.spec.writePermissions ?? {}).some(
      Boolean,
    );
    this.writeStatus(tcp, s => {
      s.kubernetesResources.version = {
        version: tcp.spec.kubernetes.version,
        status: readyStatus(sleeping, writeLimited),
      };
      s.kubernetesResources.deployment = {
        ...(deployment
          ? deploymentStatus(
              deployment,
              replicas,
              true,
              this.currentRs(namespace, deployment),
            )
          : {}),
        name,
        namespace,
        selector: `kamaji.clastix.io/name=${name}`,
        lastUpdate: now(),
      };
      s.kubeadmPhase = {
        bootstrapToken: {
          checksum: checksum(tcp.metadata.uid),
          lastUpdate: now(),
        },
      };
      s.addons = addonsStatus(
        tcp,
        this.cluster.get('', 'services', namespace, name),
      );
      s.observedGeneration = tcp.metadata.generation;
    });
    this.host.setTenantReady(namespace, name, !sleeping);
  }

  private annotationPaused(tcp: Obj) {
    return (
      tcp.metadata.annotations &&
      'kamaji.clastix.io/paused' in tcp.metadata.annotations
    );
  }

  private writeStatus(tcp: Obj, fn: (s: Obj) => void) {
    const fresh = this.get(tcp.metadata.namespace, tcp.metadata.name);
    if (!fresh) return;
    const status = structuredClone(fresh.status ?? {});
    fn(status);
    fresh.status = status;
    this.cluster.updateStatus(fresh, SYSTEM_WRITE);
  }

  private ownedBy(obj: Obj, owner: Obj | undefined) {
    return (
      !!owner &&
      (obj.metadata.ownerReferences ?? []).some(
        (r: Obj) => r.uid === owner.metadata.uid,
      )
    );
  }

  private currentRs(_namespace: string, deployment: Obj) {
    const hashLabel =
      deployment.spec.template.metadata.labels['pod-template-hash'];
    return `${deployment.metadata.name}-${hashLabel}`;
  }

  private ownerRef(tcp: Obj) {
    return {
      apiVersion: 'kamaji.clastix.io/v1alpha1',
      kind: 'TenantControlPlane',
      name: tcp.metadata.name,
      uid: tcp.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
  }

  /** Writes an object owned by the control plane (create or update). */
  private upsert(obj: Obj) {
    const [group] = obj.apiVersion.includes('/')
      ? obj.apiVersion.split('/')
      : [''];
    const rt = this.cluster.typeFor(obj.apiVersion, obj.kind)!;
    const existing = this.cluster.get(
      group,
      rt.plural,
      obj.metadata.namespace,
      obj.metadata.name,
    );
    if (!existing) return this.cluster.create(obj, SYSTEM_WRITE);
    const next = {
      ...existing,
      ...obj,
      metadata: { ...existing.metadata, ...obj.metadata },
    };
    return this.cluster.update(next, SYSTEM_WRITE);
  }

  /** Secrets, Service and the Deployment's pod template of a control plane. */
  private async renderChildren(tcp: Obj, endpoint: TenantEndpoint) {
    const ctx = this.renderContext(tcp, endpoint);
    const status: Obj = {
      certificates: this.renderCertificates(ctx),
      kubeconfig: await this.renderKubeconfigs(ctx),
      storage: this.renderDataStoreSecrets(ctx),
      kubeadmconfig: {
        configmapName: `${ctx.name}-kubeadmconfig`,
        checksum: checksum(tcp.spec),
        lastUpdate: ctx.stamp,
      },
    };
    const serviceStatus = this.renderService(ctx);
    const podTemplate = podTemplateOf(tcp, ctx.driver);
    return { status, serviceStatus, podTemplate };
  }

  /** What every child of a control plane is rendered from. */
  private renderContext(tcp: Obj, endpoint: TenantEndpoint): RenderContext {
    const { name, namespace } = tcp.metadata;
    const port = tcp.spec.networkProfile?.port ?? 6443;
    const labels = {
      'kamaji.clastix.io/name': name,
      'kamaji.clastix.io/project': 'kamaji',
    };
    const owner = [this.ownerRef(tcp)];
    const ds = this.cluster.get(
      'kamaji.clastix.io',
      'datastores',
      undefined,
      tcp.spec.dataStore,
    );
    return {
      tcp,
      name,
      namespace,
      port,
      labels,
      ds,
      driver: ds?.spec?.driver ?? 'etcd',
      stamp: now(),
      publicServer: `https://${endpoint.host}:${endpoint.port}`,
      svcServer: `https://${name}.${namespace}.svc:${port}`,
      secret: (suffix: string, data: Record<string, string>) => ({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: {
          name: `${name}-${suffix}`,
          namespace,
          labels: { ...labels, 'kamaji.clastix.io/component': suffix },
          ownerReferences: owner,
        },
        data: Object.fromEntries(
          Object.entries(data).map(([k, v]) => [k, b64(v)]),
        ),
      }),
    };
  }

  /** A kubeconfig for one client certificate of the tenant's CA. */
  private kubeconfigOf(
    name: string,
    kp: KeyPair,
    user: string,
    server: string,
  ) {
    return toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: {
            server,
            'certificate-authority-data': b64(this.host.caPem),
          },
        },
      ],
      contexts: [{ name: `${user}@${name}`, context: { cluster: name, user } }],
      'current-context': `${user}@${name}`,
      preferences: {},
      users: [
        {
          name: user,
          user: {
            'client-certificate-data': b64(kp.certPem),
            'client-key-data': b64(kp.keyPem),
          },
        },
      ],
    });
  }

  /** The CA and certificate Secrets, with their status entries. */
  private renderCertificates(ctx: RenderContext): Obj {
    const { secret, stamp } = ctx;
    const certificates: Obj = {};
    const certSecrets: Record<string, string> = {
      ca: 'ca',
      apiServer: 'api-server-certificate',
      apiServerKubeletClient: 'api-server-kubelet-client-certificate',
      frontProxyCA: 'front-proxy-ca-certificate',
      frontProxyClient: 'front-proxy-client-certificate',
      sa: 'sa-certificate',
    };
    for (const [field, suffix] of Object.entries(certSecrets)) {
      const data =
        suffix === 'sa-certificate'
          ? { 'sa.pub': 'simulated', 'sa.key': PLACEHOLDER_KEY }
          : {
              [suffix === 'ca' ? 'ca.crt' : 'tls.crt']: this.host.caPem,
              [suffix === 'ca' ? 'ca.key' : 'tls.key']: PLACEHOLDER_KEY,
            };
      const s = this.upsert(secret(suffix, data));
      certificates[field] = {
        secretName: s.metadata.name,
        checksum: checksum(s.data),
        lastUpdate: stamp,
      };
    }
    return certificates;
  }

  /** The admin and component kubeconfig Secrets, with their status entries. */
  private async renderKubeconfigs(ctx: RenderContext): Promise<Obj> {
    const { name, namespace, secret, stamp, publicServer, svcServer } = ctx;
    const kubeconfigOf = (kp: KeyPair, user: string, server: string) =>
      this.kubeconfigOf(name, kp, user, server);
    const kubeconfig: Obj = {};
    const existingAdmin = this.cluster.get(
      '',
      'secrets',
      namespace,
      `${name}-admin-kubeconfig`,
    );
    // the admin kubeconfig keeps its credentials across reconciles, like Kamaji
    const adminData =
      existingAdmin?.data &&
      Buffer.from(existingAdmin.data['admin.conf'], 'base64')
        .toString()
        .includes(publicServer)
        ? Object.fromEntries(
            Object.entries<string>(existingAdmin.data).map(([k, v]) => [
              k,
              Buffer.from(v, 'base64').toString(),
            ]),
          )
        : await (async () => {
            const admin = await this.host.issueClient('kubernetes-admin', [
              'kubeadm:cluster-admins',
            ]);
            const superAdmin = await this.host.issueClient(
              'kubernetes-super-admin',
              ['system:masters'],
            );
            return {
              'admin.conf': kubeconfigOf(
                admin,
                'kubernetes-admin',
                publicServer,
              ),
              'admin.svc': kubeconfigOf(admin, 'kubernetes-admin', svcServer),
              'super-admin.conf': kubeconfigOf(
                superAdmin,
                'kubernetes-super-admin',
                publicServer,
              ),
              'super-admin.svc': kubeconfigOf(
                superAdmin,
                'kubernetes-super-admin',
                svcServer,
              ),
            };
          })();
    const admin = this.upsert(secret('admin-kubeconfig', adminData));
    kubeconfig.admin = {
      secretName: admin.metadata.name,
      checksum: checksum(admin.data),
      lastUpdate: stamp,
    };
    for (const [field, suffix, file] of [
      [
        'controllerManager',
        'controller-manager-kubeconfig',
        'controller-manager.conf',
      ],
      ['scheduler', 'scheduler-kubeconfig', 'scheduler.conf'],
    ]) {
      const s = this.upsert(
        secret(suffix, {
          [file]: toYaml({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name, cluster: { server: svcServer } }],
          }),
        }),
      );
      kubeconfig[field] = {
        secretName: s.metadata.name,
        checksum: checksum(s.data),
        lastUpdate: stamp,
      };
    }
    return kubeconfig;
  }

  /** The DataStore's connection and certificate Secrets, with the storage status. */
  private renderDataStoreSecrets(ctx: RenderContext): Obj {
    const { tcp, ds, driver, secret, stamp } = ctx;
    const dsConfig = this.upsert(
      secret('datastore-config', {
        DB_CONNECTION_STRING: `${driver}://${tcp.spec.dataStoreUsername}@${
          ds?.spec?.endpoints?.[0] ?? 'datastore'
        }/${tcp.spec.dataStoreSchema}`,
      }),
    );
    const storage: Obj = {
      driver,
      dataStoreName: tcp.spec.dataStore,
      config: {
        secretName: dsConfig.metadata.name,
        checksum: checksum(dsConfig.data),
      },
      setup: {
        schema: tcp.spec.dataStoreSchema,
        user: tcp.spec.dataStoreUsername,
        checksum: checksum(tcp.spec.dataStoreSchema),
        lastUpdate: stamp,
      },
    };
    if (driver !== 'NATS') {
      const c = this.upsert(
        secret('datastore-certificate', {
          'ca.crt': this.host.caPem,
          'server.crt': this.host.caPem,
          'server.key': PLACEHOLDER_KEY,
        }),
      );
      storage.certificate = {
        secretName: c.metadata.name,
        checksum: checksum(c.data),
        lastUpdate: stamp,
      };
    }
    return storage;
  }

  /** The control plane's Service (a LoadBalancer gets an address); returns its status entry. */
  private renderService(ctx: RenderContext): Obj {
    const { tcp, name, namespace, port, labels } = ctx;
    const owner = [this.ownerRef(tcp)];
    const konnectivity = !!tcp.spec.addons?.konnectivity;
    const serviceType = tcp.spec.controlPlane.service.serviceType;
    const svcMeta = tcp.spec.controlPlane.service.additionalMetadata ?? {};
    const service = this.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name,
        namespace,
        labels: { ...(svcMeta.labels ?? {}), ...labels },
        annotations: svcMeta.annotations,
        ownerReferences: owner,
      },
      spec: {
        type: serviceType,
        selector: { 'kamaji.clastix.io/name': name },
        ports: [
          { name: 'kube-apiserver', port, protocol: 'TCP', targetPort: port },
          ...(konnectivity
            ? [
                {
                  name: 'konnectivity-server',
                  port: tcp.spec.addons.konnectivity.server?.port ?? 8132,
                  protocol: 'TCP',
                  targetPort: tcp.spec.addons.konnectivity.server?.port ?? 8132,
                },
              ]
            : []),
        ],
        ...(serviceType === 'LoadBalancer' &&
        tcp.spec.networkProfile?.loadBalancerSourceRanges
          ? {
              loadBalancerSourceRanges:
                tcp.spec.networkProfile.loadBalancerSourceRanges,
            }
          : {}),
      },
    });
    if (
      serviceType === 'LoadBalancer' &&
      !service.status?.loadBalancer?.ingress
    ) {
      service.status = {
        loadBalancer: {
          ingress: [
            {
              ip: tcp.spec.networkProfile?.address || '10.10.10.200',
              ipMode: 'VIP',
            },
          ],
        },
      };
      this.cluster.updateStatus(service, {
        manager: 'cloud-controller-manager',
      });
    }
    const svc = this.cluster.get('', 'services', namespace, name)!;
    const serviceStatus = { ...(svc.status ?? {}), name, namespace, port };

    return serviceStatus;
  }

  /**
   * The Deployment and its rollout: a new ReplicaSet is created next to the
   * old one (maxSurge 100 %), so the namespace's quota must hold both.
   */
  private rollout(tcp: Obj, podTemplate: Obj) {
    const { name, namespace } = tcp.metadata;
    const d = tcp.spec.controlPlane.deployment ?? {};
    const replicas = d.replicas ?? 2;
    const templateHash = hash(podTemplate);
    const template = structuredClone(podTemplate);
    template.metadata.labels['pod-template-hash'] = templateHash;
    const meta = d.additionalMetadata ?? {};
    const deployment = this.upsert({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace,
        labels: { ...(meta.labels ?? {}), 'kamaji.clastix.io/name': name },
        ...(meta.annotations && Object.keys(meta.annotations).length
          ? { annotations: meta.annotations }
          : {}),
        ownerReferences: [this.ownerRef(tcp)],
      },
      spec: {
        replicas,
        selector: { matchLabels: { 'kamaji.clastix.io/name': name } },
        strategy: d.strategy ?? {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
        },
        template,
      },
    });
    const rsName = `${name}-${templateHash}`;
    const rs = this.upsert({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace,
        labels: { ...template.metadata.labels },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas * 2),
          'deployment.kubernetes.io/revision': String(
            deployment.metadata.generation,
          ),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name,
            uid: deployment.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas,
        selector: {
          matchLabels: {
            'kamaji.clastix.io/name': name,
            'pod-template-hash': templateHash,
          },
        },
        template,
      },
    });
    let failure: string | undefined;
    const existing = this.cluster
      .list('', 'pods', namespace)
      .filter(p => this.ownedBy(p, rs));
    for (let i = existing.length; i < replicas && !failure; i++) {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${rsName}-${hash(`${rsName}/${i}/${Date.now()}`, 5)}`,
          namespace,
          labels: { ...template.metadata.labels },
          ...(template.metadata.annotations
            ? { annotations: template.metadata.annotations }
            : {}),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rsName,
              uid: rs.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: structuredClone(template.spec),
      };
      try {
        const created = this.cluster.create(pod, {
          manager: 'kube-controller-manager',
        });
        created.status = {
          phase: 'Pending',
          conditions: [
            { type: 'PodScheduled', status: 'True', lastTransitionTime: now() },
          ],
        };
        this.cluster.updateStatus(created, { manager: 'kubelet' });
      } catch (e) {
        failure = (e as Error).message;
      }
    }
    if (failure) {
      rs.status = {
        replicas: existing.length,
        observedGeneration: rs.metadata.generation,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message: failure,
            lastTransitionTime: now(),
          },
        ],
      };
      this.cluster.updateStatus(rs, SYSTEM_WRITE);
    }
    return {
      failure,
      deploymentStatus: (ready: boolean) => {
        const fresh = this.cluster.get('apps', 'deployments', namespace, name)!;
        const status = deploymentStatus(
          fresh,
          replicas,
          ready,
          rsName,
          failure,
        );
        fresh.status = status;
        this.cluster.updateStatus(fresh, SYSTEM_WRITE);
        return {
          ...status,
          name,
          namespace,
          selector: `kamaji.clastix.io/name=${name}`,
          lastUpdate: now(),
        };
      },
    };
  }

  /** DataStore status: ready, and which control planes use it. */
  private refreshDataStores() {
    const tcps = this.cluster.list('kamaji.clastix.io', 'tenantcontrolplanes');
    for (const ds of this.cluster.list('kamaji.clastix.io', 'datastores')) {
      const usedBy = tcps
        .filter(t => t.spec.dataStore === ds.metadata.name)
        .map(t => `${t.metadata.namespace}/${t.metadata.name}`)
        .sort();
      const status = {
        observedGeneration: ds.metadata.generation,
        ready: true,
        ...(usedBy.length ? { usedBy } : {}),
        conditions: [
          {
            type: 'kamaji.clastix.io/DataStoreValidation',
            status: 'True',
            observedGeneration: ds.metadata.generation,
            reason: 'DataStoreIsValid',
            message: '',
            lastTransitionTime:
              ds.status?.conditions?.[0]?.lastTransitionTime ?? now(),
          },
        ],
      };
      if (JSON.stringify(status) !== JSON.stringify(ds.status)) {
        ds.status = status;
        this.cluster.updateStatus(ds, SYSTEM_WRITE);
      }
    }
  }
}

/** The Deployment's pod template of a control plane. */
function podTemplateOf(tcp: Obj, driver: string): Obj {
  const { name } = tcp.metadata;
  const port = tcp.spec.networkProfile?.port ?? 6443;
  const konnectivity = !!tcp.spec.addons?.konnectivity;
  const d = tcp.spec.controlPlane.deployment ?? {};
  const reg = d.registrySettings ?? {};
  const image = (img: string) =>
    `${reg.registry ?? 'registry.k8s.io'}/${img}:${
      tcp.spec.kubernetes.version
    }${reg.tagSuffix ?? ''}`;
  const res = (r: Obj | undefined) => (r ? structuredClone(r) : {});
  const containers: Obj[] = [
    {
      name: 'kube-apiserver',
      image: image(reg.apiServerImage ?? 'kube-apiserver'),
      ports: [{ containerPort: port, name: 'kube-apiserver', protocol: 'TCP' }],
      resources: res(d.resources?.apiServer),
      securityContext: d.containerSecurityContexts?.apiServer,
    },
    {
      name: 'kube-controller-manager',
      image: image(reg.controllerManagerImage ?? 'kube-controller-manager'),
      resources: res(d.resources?.controllerManager),
      securityContext: d.containerSecurityContexts?.controllerManager,
    },
    {
      name: 'kube-scheduler',
      image: image(reg.schedulerImage ?? 'kube-scheduler'),
      resources: res(d.resources?.scheduler),
      securityContext: d.containerSecurityContexts?.scheduler,
    },
  ];
  if (driver !== 'etcd') {
    containers.push({
      name: 'kine',
      image: 'rancher/kine:v0.14.6-amd64',
      ports: [{ containerPort: 2379, name: 'server', protocol: 'TCP' }],
      resources: res(d.resources?.kine),
      securityContext: d.containerSecurityContexts?.kine,
    });
  }
  if (konnectivity) {
    const srv = tcp.spec.addons.konnectivity.server ?? {};
    containers.push({
      name: 'konnectivity-server',
      image: `${
        srv.image ?? 'registry.k8s.io/kas-network-proxy/proxy-server'
      }:${srv.version ?? 'v0.34.0'}`,
      ports: [
        { containerPort: srv.port ?? 8132, name: 'server', protocol: 'TCP' },
      ],
      resources: res(srv.resources),
      securityContext: srv.securityContext,
    });
  }
  for (const c of containers) if (!c.securityContext) delete c.securityContext;
  const initContainers: Obj[] = (d.additionalInitContainers ?? []).map(
    (c: Obj) => structuredClone(c),
  );
  for (const c of d.additionalContainers ?? [])
    containers.push(structuredClone(c));
  const podMeta = d.podAdditionalMetadata ?? {};
  const podTemplate = {
    metadata: {
      labels: {
        ...(podMeta.labels ?? {}),
        'kamaji.clastix.io/name': name,
        'kamaji.clastix.io/component': 'deployment',
      },
      ...(podMeta.annotations ? { annotations: podMeta.annotations } : {}),
    },
    spec: {
      serviceAccountName: d.serviceAccountName ?? 'default',
      ...(d.podSecurityContext
        ? { securityContext: d.podSecurityContext }
        : {}),
      ...(d.runtimeClassName ? { runtimeClassName: d.runtimeClassName } : {}),
      ...(d.nodeSelector ? { nodeSelector: d.nodeSelector } : {}),
      ...(d.tolerations ? { tolerations: d.tolerations } : {}),
      ...(initContainers.length ? { initContainers } : {}),
      containers,
    },
  };
  return podTemplate;
}

function readyStatus(sleeping: boolean, writeLimited: boolean) {
  if (sleeping) return 'Sleeping';
  return writeLimited ? 'WriteLimited' : 'Ready';
}

function now() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function deploymentStatus(
  deployment: Obj,
  replicas: number,
  ready: boolean,
  rsName: string,
  failure?: string,
) {
  const t = now();
  const conditions: Obj[] = [
    ready
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: t,
          lastTransitionTime: t,
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
          lastUpdateTime: t,
          lastTransitionTime: t,
        },
    ready
      ? {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
          lastUpdateTime: t,
          lastTransitionTime: t,
        }
      : {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
          lastUpdateTime: t,
          lastTransitionTime: t,
        },
  ];
  if (failure)
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
      message: failure,
      lastUpdateTime: t,
      lastTransitionTime: t,
    });
  return {
    observedGeneration: deployment.metadata.generation,
    replicas,
    updatedReplicas: ready ? replicas : 0,
    ...(ready
      ? { readyReplicas: replicas, availableReplicas: replicas }
      : { unavailableReplicas: replicas }),
    conditions,
  };
}

function runningPodStatus(pod: Obj, tcp: Obj) {
  const t = now();
  return {
    phase: 'Running',
    conditions: [
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
    ].map(type => ({ type, status: 'True', lastTransitionTime: t })),
    hostIP: '10.0.0.10',
    podIP: `10.244.0.${
      (Number.parseInt(
        createHash('md5').update(pod.metadata.name).digest('hex').slice(0, 2),
        16,
      ) %
        250) +
      2
    }`,
    startTime: t,
    qosClass: 'Guaranteed',
    containerStatuses: pod.spec.containers.map((c: Obj) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: t } },
    })),
    ...(tcp ? {} : {}),
  };
}

function addonsStatus(tcp: Obj, service: Obj | undefined) {
  const t = now();
  const a = tcp.spec.addons ?? {};
  const out: Obj = {
    coreDNS: { enabled: !!a.coreDNS, ...(a.coreDNS ? { lastUpdate: t } : {}) },
    kubeProxy: {
      enabled: !!a.kubeProxy,
      ...(a.kubeProxy ? { lastUpdate: t } : {}),
    },
    konnectivity: { enabled: !!a.konnectivity },
  };
  if (a.konnectivity) {
    out.konnectivity = {
      enabled: true,
      service: {
        name: tcp.metadata.name,
        namespace: tcp.metadata.namespace,
        port: a.konnectivity.server?.port ?? 8132,
        ...(service?.status?.loadBalancer?.ingress
          ? { loadBalancer: service.status.loadBalancer }
          : {}),
      },
      agent: {
        name: 'konnectivity-agent',
        namespace: 'kube-system',
        mode: a.konnectivity.agent?.mode ?? 'DaemonSet',
        lastUpdate: t,
      },
    };
  }
  return out;
}
