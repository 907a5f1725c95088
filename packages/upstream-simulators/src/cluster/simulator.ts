/*
 * The cluster simulator process: the management cluster (with Kamaji) on one
 * HTTPS port and each tenant's API server on a port of its own, all signed by
 * one CA generated at start, with bearer-token identities taken from the RBAC
 * manifests in deploy/rbac and fault hooks for tests.
 */
import type { KubeObject as Obj } from '../types';
import fs from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  parse as parseYaml,
  parseAllDocuments,
  stringify as toYaml,
} from 'yaml';
import { AUTHENTICATION_CONFIG_NAME } from '@prontuario/plugin-hospital-tenants-node';
import { SimulatedCluster } from './cluster';
import { FaultHooks } from './faults';
import type { FaultInjector } from './faults';
import { compileClaimRule } from './cel';
import { authenticator, identitiesFrom, saUser } from './identities';
import { findRepoRoot } from './paths';
import { KamajiSimulation } from './kamaji';
import { SimulatorCa } from './pki';
import { UserInfo } from './rbac';
import { ServiceAccountTokenIssuer } from './tokens';
import {
  ObjectValidator,
  KubernetesModelsValidator,
  loadCrdValidators,
  resolveKamajiCrdDir,
} from './validation';

export type { FaultInjector, FaultRule } from './faults';

/** Options of {@link startClusterSimulator}. @public */
export interface ClusterSimulatorOptions {
  /** port of the management cluster's API (0 = a free port) */
  port?: number;
  host?: string;
  /** time a TenantControlPlane takes from a change to Ready */
  readyDelayMs?: number;
  /** time until Kamaji first reacts to a change */
  reconcileLagMs?: number;
  /** time a deleted namespace stays Terminating */
  namespaceTerminationMs?: number;
  /** folder of Kamaji's CRDs (default: `kamajiCrdDir()` of `@prontuario/tenant-schema-validators`) */
  kamajiCrdDir?: string;
  /** folder of the RBAC manifests (default: deploy/rbac of this repository) */
  rbacDir?: string;
  /** DataStores present on the management cluster (default: the `DEFAULT_DATASTORES` of this simulator) */
  dataStores?: Obj[];
  /** newest Kubernetes version the simulated Kamaji accepts */
  maxKubernetesVersion?: string;
  /** when set, the CA and the identities' kubeconfig and token files are written there */
  outDir?: string;
  /**
   * reuse the CA and the tokens found in `outDir` (written by an earlier
   * run), so a backend configured with them keeps working across restarts
   */
  reuseState?: boolean;
}

/** The kubeconfig files (YAML text) of the simulator's identities. @public */
export interface SimulatorKubeconfigs {
  /** cluster-admin (system:masters): for seeding and tests only */
  admin: string;
  provisioner: string;
  reader: string;
}

/** A running cluster simulator. @public */
export interface ClusterSimulator {
  url: string;
  caPem: string;
  kubeconfigs: SimulatorKubeconfigs;
  /** the users behind the identities, as RBAC sees them */
  users: Record<keyof SimulatorKubeconfigs, UserInfo>;
  /** the portal's namespace (where the identities' ServiceAccounts live) */
  portalNamespace: string;
  management: SimulatedCluster;
  kamaji: KamajiSimulation;
  faults: FaultInjector;
  /** the simulated API server of a tenant, once its control plane was reconciled */
  tenant(namespace: string, name: string): SimulatedCluster | undefined;
  /** files written to `outDir` */
  files?: { ca: string; admin: string; provisioner: string; reader: string };
  stop(): Promise<void>;
}

/** Where deploy/rbac is in this repository. */
export function defaultRbacDir() {
  return path.join(findRepoRoot(), 'deploy', 'rbac');
}

/** Reads every object of the YAML files in a folder. */
export function readManifests(dir: string): Obj[] {
  return fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => ({
        ...d.toJS(),
        __file: f,
      })),
    )
    .filter(o => o && o.kind);
}

const secretRef = (name: string, namespace: string, keyPath: string) => ({
  secretReference: { name, namespace, keyPath },
});

/** The DataStores a fresh simulator has: Kamaji's default (first) and the reference's PostgreSQL one. */
export const DEFAULT_DATASTORES: Obj[] = [
  {
    apiVersion: 'kamaji.clastix.io/v1alpha1',
    kind: 'DataStore',
    metadata: { name: 'etcd-shared' },
    spec: {
      driver: 'etcd',
      endpoints: [
        'etcd-0.etcd.kamaji-etcd.svc.cluster.local:2379',
        'etcd-1.etcd.kamaji-etcd.svc.cluster.local:2379',
        'etcd-2.etcd.kamaji-etcd.svc.cluster.local:2379',
      ],
      tlsConfig: {
        certificateAuthority: {
          certificate: secretRef('etcd-certs', 'kamaji-etcd', 'ca.crt'),
          privateKey: secretRef('etcd-certs', 'kamaji-etcd', 'ca.key'),
        },
        clientCertificate: {
          certificate: secretRef('root-client-certs', 'kamaji-etcd', 'tls.crt'),
          privateKey: secretRef('root-client-certs', 'kamaji-etcd', 'tls.key'),
        },
      },
    },
  },
  {
    apiVersion: 'kamaji.clastix.io/v1alpha1',
    kind: 'DataStore',
    metadata: { name: 'postgresql-gold' },
    spec: {
      driver: 'PostgreSQL',
      endpoints: ['postgres-gold-rw.postgres-system.svc:5432'],
      basicAuth: {
        username: secretRef(
          'postgres-gold-superuser',
          'postgres-system',
          'username',
        ),
        password: secretRef(
          'postgres-gold-superuser',
          'postgres-system',
          'password',
        ),
      },
      tlsConfig: {
        certificateAuthority: {
          certificate: secretRef(
            'postgres-gold-ca',
            'postgres-system',
            'ca.crt',
          ),
        },
        clientCertificate: {
          certificate: secretRef(
            'postgres-gold-root-cert',
            'postgres-system',
            'tls.crt',
          ),
          privateKey: secretRef(
            'postgres-gold-root-cert',
            'postgres-system',
            'tls.key',
          ),
        },
      },
    },
  },
];

function kubeconfig(opts: {
  cluster: string;
  server: string;
  caPem: string;
  user: string;
  token: string;
  namespace?: string;
}) {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: opts.cluster,
        cluster: {
          server: opts.server,
          'certificate-authority-data': Buffer.from(opts.caPem).toString(
            'base64',
          ),
        },
      },
    ],
    users: [{ name: opts.user, user: { token: opts.token } }],
    contexts: [
      {
        name: `${opts.user}@${opts.cluster}`,
        context: {
          cluster: opts.cluster,
          user: opts.user,
          ...(opts.namespace ? { namespace: opts.namespace } : {}),
        },
      },
    ],
    'current-context': `${opts.user}@${opts.cluster}`,
    preferences: {},
  });
}

/** The CA and tokens of an earlier run, when its files are all there. */
function readState(
  dir: string,
):
  | { caPem: string; caKeyPem: string; tokens: Record<string, string> }
  | undefined {
  try {
    const saved = JSON.parse(
      fs.readFileSync(path.join(dir, 'state.json'), 'utf8'),
    );
    const caPem = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    if (
      typeof saved.caKeyPem !== 'string' ||
      !saved.tokens?.provisioner ||
      !saved.tokens?.reader ||
      !saved.tokens?.admin
    )
      return undefined;
    return { caPem, caKeyPem: saved.caKeyPem, tokens: saved.tokens };
  } catch {
    return undefined;
  }
}

// compiling Kamaji's schema takes a while: once per process and folder
const crdCache = new Map<string, ReturnType<typeof loadCrdValidators>>();

/** The validator of each kind: Kamaji's CRDs, else kubernetes-models. */
function validatorLookup(crdDir: string) {
  if (!crdCache.has(crdDir)) crdCache.set(crdDir, loadCrdValidators(crdDir));
  const crds = crdCache.get(crdDir)!;
  const builtin = new Map<string, ObjectValidator | undefined>();
  return (apiVersion: string, kind: string) => {
    const id = `${apiVersion}/${kind}`;
    if (crds.has(id)) return crds.get(id);
    if (!builtin.has(id)) {
      try {
        builtin.set(id, new KubernetesModelsValidator(apiVersion, kind));
      } catch {
        builtin.set(id, undefined);
      }
    }
    return builtin.get(id);
  };
}

/** The management cluster as an operator would set it up: namespaces, RBAC manifests, DataStores. */
function seedManagement(
  management: SimulatedCluster,
  manifests: Obj[],
  portalNamespace: string,
  dataStores: Obj[],
) {
  const seed = { manager: 'kubectl' };
  for (const ns of new Set([
    'kamaji-system',
    'monitoring',
    portalNamespace,
    ...manifests.map(m => m.metadata?.namespace).filter(Boolean),
  ])) {
    if (!management.get('', 'namespaces', undefined, ns))
      management.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        seed,
      );
  }
  for (const m of manifests) {
    const { __file: _f, ...obj } = m;
    management.apply(obj, seed);
  }
  for (const ds of dataStores) management.apply(ds, seed);
}

/**
 * ServiceAccount tokens: on the management cluster its own; on a tenant API
 * server, as the tenant's structured authentication configuration (the
 * plan's ConfigMap in its management namespace) says: issuer, audiences,
 * claim rules (CEL), username claim and prefix.
 */
function serviceAccountTokenAuthenticator(
  management: SimulatedCluster,
  tokenIssuer: ServiceAccountTokenIssuer,
) {
  return (token: string, clusterId: string): UserInfo | undefined => {
    if (clusterId === 'management') {
      const claims = tokenIssuer.verify(token, tokenIssuer.issuer);
      if (!claims) return undefined;
      const [, , ns, name] = claims.sub.split(':');
      return saUser(ns, name);
    }
    const [namespace] = clusterId.split('/');
    const cm = management.get(
      '',
      'configmaps',
      namespace,
      AUTHENTICATION_CONFIG_NAME,
    );
    let authn: Obj | undefined;
    try {
      authn = parseYaml(String(cm?.data?.['config.yaml'] ?? ''));
    } catch {
      return undefined;
    }
    for (const jwt of authn?.jwt ?? []) {
      if (jwt?.issuer?.url !== tokenIssuer.issuer) continue;
      for (const audience of jwt.issuer.audiences ?? []) {
        const claims = tokenIssuer.verify(token, String(audience));
        if (!claims) continue;
        const rulesHold = (jwt.claimValidationRules ?? []).every(
          (rule: Obj) => {
            try {
              return (
                compileClaimRule(String(rule.expression)).evaluate({
                  claims,
                }) === true
              );
            } catch {
              return false;
            }
          },
        );
        if (!rulesHold) return undefined;
        const mapping = jwt.claimMappings?.username ?? {};
        const claim = String(mapping.claim ?? 'sub');
        return {
          name: `${mapping.prefix ?? ''}${(claims as Obj)[claim]}`,
          groups: ['system:authenticated'],
        };
      }
    }
    return undefined;
  };
}

/** The HTTPS request handler of one simulated API server: faults, readiness, then the cluster. */
function requestHandler(
  clusterId: string,
  getCluster: () => { cluster: SimulatedCluster; ready: boolean } | undefined,
  faults: FaultHooks,
  authenticate: (
    req: IncomingMessage,
    clusterId: string,
  ) => UserInfo | undefined,
) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://simulator');
    if (await faults.intercept(clusterId, req, res, url.pathname)) return;
    const target = getCluster();
    if (!target) {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('the tenant control plane is gone');
      return;
    }
    if (!target.ready) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('[-]etcd failed: reason withheld\nreadyz check failed');
      return;
    }
    await target.cluster.handle(
      req,
      res,
      url.pathname,
      url.searchParams,
      authenticate(req, clusterId),
    );
  };
}

const listen = (server: https.Server, host: string, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () =>
      resolve((server.address() as AddressInfo).port),
    );
  });

const close = (server: https.Server) =>
  new Promise<void>(resolve => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

interface TenantServer {
  cluster: SimulatedCluster;
  server: https.Server;
  port: number;
  ready: boolean;
}

/** Each tenant's API server: started when Kamaji renders its control plane, on a free port. */
function tenantServers(opts: {
  host: string;
  tlsOptions: https.ServerOptions;
  newCluster: (id: string) => SimulatedCluster;
  handler: (
    id: string,
    get: () => TenantServer | undefined,
  ) => (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}) {
  const tenants = new Map<string, TenantServer>();
  return {
    tenants,
    async start(namespace: string, name: string) {
      const id = `${namespace}/${name}`;
      let t = tenants.get(id);
      if (!t) {
        const cluster = opts.newCluster(id);
        // kubeadm makes its admins cluster-admin
        cluster.apply(
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'kubeadm:cluster-admins' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'ClusterRole',
              name: 'cluster-admin',
            },
            subjects: [
              {
                apiGroup: 'rbac.authorization.k8s.io',
                kind: 'Group',
                name: 'kubeadm:cluster-admins',
              },
            ],
          },
          { manager: 'kubeadm' },
        );
        const server = https.createServer(opts.tlsOptions);
        const entry = { cluster, server, port: 0, ready: false };
        server.on(
          'request',
          opts.handler(id, () => tenants.get(id)),
        );
        tenants.set(id, entry);
        entry.port = await listen(server, opts.host, 0);
        t = entry;
      }
      return { host: opts.host, port: t.port };
    },
    async stop(namespace: string, name: string) {
      const id = `${namespace}/${name}`;
      const t = tenants.get(id);
      if (!t) return;
      tenants.delete(id);
      t.cluster.stop();
      await close(t.server);
    },
    setReady(namespace: string, name: string, ready: boolean) {
      const t = tenants.get(`${namespace}/${name}`);
      if (t) t.ready = ready;
    },
    async stopAll() {
      await Promise.all(
        [...tenants.values()].map(t => {
          t.cluster.stop();
          return close(t.server);
        }),
      );
      tenants.clear();
    },
  };
}

/** The kubeconfigs of the three identities for the management cluster. */
function managementKubeconfigs(
  url: string,
  caPem: string,
  tokenOf: Record<string, string>,
  portalNamespace: string,
): SimulatorKubeconfigs {
  const of = (user: string, namespace?: string) =>
    kubeconfig({
      cluster: 'management',
      server: url,
      caPem,
      user,
      token: tokenOf[user],
      namespace,
    });
  return {
    admin: of('admin'),
    provisioner: of('provisioner', portalNamespace),
    reader: of('reader', portalNamespace),
  };
}

/** Writes the CA, kubeconfigs, bare tokens and the state of this run (mode 0600). */
async function writeOutDir(
  outDir: string,
  ca: SimulatorCa,
  kubeconfigs: SimulatorKubeconfigs,
  tokenOf: Record<string, string>,
): Promise<NonNullable<ClusterSimulator['files']>> {
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const write = (name: string, content: string) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, content, { mode: 0o600 });
    return file;
  };
  const files = {
    ca: write('ca.crt', ca.certPem),
    admin: write('admin.kubeconfig', kubeconfigs.admin),
    provisioner: write('provisioner.kubeconfig', kubeconfigs.provisioner),
    reader: write('reader.kubeconfig', kubeconfigs.reader),
  };
  // bare tokens, for configuration that takes a token (the Kubernetes plugin)
  write('provisioner.token', tokenOf.provisioner);
  write('reader.token', tokenOf.reader);
  write(
    'state.json',
    JSON.stringify({ caKeyPem: await ca.keyPem(), tokens: tokenOf }),
  );
  return files;
}

/** Starts the management cluster (and, on demand, tenant clusters). @public */
export async function startClusterSimulator(
  options: ClusterSimulatorOptions = {},
): Promise<ClusterSimulator> {
  const host = options.host ?? '127.0.0.1';
  const state =
    options.outDir && options.reuseState
      ? readState(options.outDir)
      : undefined;
  const ca = state
    ? await SimulatorCa.load(state.caPem, state.caKeyPem)
    : await SimulatorCa.create();
  const serving = await ca.issueServer(
    ['127.0.0.1', '::1'],
    ['localhost', 'kubernetes.default.svc'],
  );
  const validators = validatorLookup(resolveKamajiCrdDir(options.kamajiCrdDir));
  const timings = {
    namespaceTerminationMs: options.namespaceTerminationMs ?? 300,
  };
  const management = new SimulatedCluster(
    'management',
    true,
    validators,
    timings,
  );
  const manifests = readManifests(options.rbacDir ?? defaultRbacDir());
  const { users, tokens, tokenOf, portalNamespace } = identitiesFrom(
    manifests,
    state?.tokens,
  );
  const dataStores = options.dataStores ?? DEFAULT_DATASTORES;
  seedManagement(management, manifests, portalNamespace, dataStores);

  const faults = new FaultHooks();
  // TokenRequest on the management cluster; a tenant API server trusts
  // those tokens as its structured authentication configuration (the
  // plan's ConfigMap) says
  const tokenIssuer = new ServiceAccountTokenIssuer();
  management.tokenIssuer = tokenIssuer;
  const authenticate = authenticator(
    tokens,
    serviceAccountTokenAuthenticator(management, tokenIssuer),
  );
  const tlsOptions = {
    key: serving.keyPem,
    cert: serving.certPem,
    ca: [ca.certPem],
    requestCert: true,
    rejectUnauthorized: false,
  };
  const tenants = tenantServers({
    host,
    tlsOptions,
    newCluster: id => new SimulatedCluster(id, false, validators, timings),
    handler: (id, get) => requestHandler(id, get, faults, authenticate),
  });
  const kamaji = new KamajiSimulation(
    management,
    {
      caPem: ca.certPem,
      issueClient: (user, groups) => ca.issueClient(user, groups),
      startTenant: tenants.start,
      stopTenant: tenants.stop,
      setTenantReady: tenants.setReady,
    },
    {
      readyDelayMs: options.readyDelayMs ?? 1500,
      reconcileLagMs: options.reconcileLagMs ?? 20,
      defaultDataStore: dataStores[0].metadata.name,
      maxKubernetesVersion: options.maxKubernetesVersion ?? 'v1.35.7',
    },
  );

  const server = https.createServer(tlsOptions);
  server.on(
    'request',
    requestHandler(
      'management',
      () => ({ cluster: management, ready: true }),
      faults,
      authenticate,
    ),
  );
  const port = await listen(server, host, options.port ?? 0);
  const url = `https://${host}:${port}`;
  const kubeconfigs = managementKubeconfigs(
    url,
    ca.certPem,
    tokenOf,
    portalNamespace,
  );
  const files = options.outDir
    ? await writeOutDir(options.outDir, ca, kubeconfigs, tokenOf)
    : undefined;

  return {
    url,
    caPem: ca.certPem,
    kubeconfigs,
    users,
    portalNamespace,
    management,
    kamaji,
    files,
    tenant: (namespace, name) =>
      tenants.tenants.get(`${namespace}/${name}`)?.cluster,
    faults,
    async stop() {
      management.stop();
      faults.stop();
      await tenants.stopAll();
      await close(server);
    },
  };
}
