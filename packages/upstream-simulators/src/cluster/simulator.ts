/*
 * The cluster simulator process: the management cluster (with Kamaji) on one
 * HTTPS port and each tenant's API server on a port of its own, all signed by
 * one CA generated at start, with bearer-token identities taken from the RBAC
 * manifests in deploy/rbac and fault hooks for tests.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  parse as parseYaml,
  parseAllDocuments,
  stringify as toYaml,
} from 'yaml';
import { SimulatedCluster } from './cluster';
import { findRepoRoot } from './paths';
import { KamajiSimulation } from './kamaji';
import { SimulatorCa } from './pki';
import { UserInfo } from './rbac';
import { ServiceAccountTokenIssuer } from './tokens';
import { AUTHENTICATION_CONFIG_NAME } from '@prontuario/plugin-hospital-tenants-node';
import { compileClaimRule } from './cel';
import { ApiStatusError } from './status';
import {
  ObjectValidator,
  KubernetesModelsValidator,
  loadCrdValidators,
  resolveKamajiCrdDir,
} from './validation';

type Obj = Record<string, any>;

/** A fault injected into matching requests. @public */
export interface FaultRule {
  /** `management` or a tenant as `<namespace>/<name>`; any when omitted */
  cluster?: string;
  method?: string;
  /** a path prefix, or a regular expression on the path */
  path: string | RegExp;
  /** delay before the request is served */
  latencyMs?: number;
  /** answer with this HTTP status (and a Status body) instead of serving */
  status?: number;
  /** never answer (the connection stays open until the client gives up) */
  hang?: boolean;
  /** how many requests the rule applies to; unlimited when omitted */
  times?: number;
}

/** Fault hooks of a running simulator. @public */
export interface FaultInjector {
  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void;
  clear(): void;
  /** requests that matched a rule so far */
  readonly hits: number;
}

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
  /** folder of Kamaji's CRDs (default: kamajiCrdDir() of @prontuario/tenant-schema-validators) */
  kamajiCrdDir?: string;
  /** folder of the RBAC manifests (default: deploy/rbac of this repository) */
  rbacDir?: string;
  /** DataStores present on the management cluster (default: {@link DEFAULT_DATASTORES}) */
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

const saUser = (ns: string, name: string): UserInfo => ({
  name: `system:serviceaccount:${ns}:${name}`,
  groups: [
    'system:serviceaccounts',
    `system:serviceaccounts:${ns}`,
    'system:authenticated',
  ],
});

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
  const crdDir = resolveKamajiCrdDir(options.kamajiCrdDir);
  if (!crdCache.has(crdDir)) crdCache.set(crdDir, loadCrdValidators(crdDir));
  const crds = crdCache.get(crdDir)!;
  const builtin = new Map<string, ObjectValidator | undefined>();
  const validators = (apiVersion: string, kind: string) => {
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
  const timings = {
    namespaceTerminationMs: options.namespaceTerminationMs ?? 300,
  };
  const management = new SimulatedCluster(
    'management',
    true,
    validators,
    timings,
  );

  // identities from the RBAC manifests
  const manifests = readManifests(options.rbacDir ?? defaultRbacDir());
  const saFrom = (file: RegExp) => {
    const sa = manifests.find(
      m => file.test(m.__file) && m.kind === 'ServiceAccount',
    );
    if (!sa)
      throw new Error(
        `no ServiceAccount in the RBAC manifest matching ${file}`,
      );
    return sa;
  };
  const provisionerSa = saFrom(/provisioner/);
  const readerSa = saFrom(/reader/);
  const portalNamespace: string = provisionerSa.metadata.namespace;
  const users = {
    admin: {
      name: 'kubernetes-admin',
      groups: ['system:masters', 'system:authenticated'],
    },
    provisioner: saUser(
      provisionerSa.metadata.namespace,
      provisionerSa.metadata.name,
    ),
    reader: saUser(readerSa.metadata.namespace, readerSa.metadata.name),
  };
  const tokens = new Map<string, UserInfo>();
  const tokenOf: Record<string, string> = {};
  for (const [id, user] of Object.entries(users)) {
    const token = state?.tokens[id] ?? randomBytes(24).toString('base64url');
    tokens.set(token, user);
    tokenOf[id] = token;
  }

  // the management cluster as an operator would set it up
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
  for (const ds of options.dataStores ?? DEFAULT_DATASTORES)
    management.apply(ds, seed);

  // tenant API servers
  const tenants = new Map<
    string,
    {
      cluster: SimulatedCluster;
      server: https.Server;
      port: number;
      ready: boolean;
    }
  >();
  const hanging = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const faultRules: Array<FaultRule & { id: number }> = [];
  let faultHits = 0;
  let nextId = 1;

  // TokenRequest on the management cluster; a tenant API server trusts
  // those tokens as its structured authentication configuration (the
  // plan's ConfigMap) says: issuer, audiences, claim rules (CEL), username
  // claim and prefix
  const tokenIssuer = new ServiceAccountTokenIssuer();
  management.tokenIssuer = tokenIssuer;
  const fromServiceAccountToken = (
    token: string,
    clusterId: string,
  ): UserInfo | undefined => {
    if (clusterId === 'management') {
      const claims = tokenIssuer.verify(token, tokenIssuer.issuer);
      if (!claims) return undefined;
      const [, , ns, name] = claims.sub.split(':');
      return saUser(ns, name);
    }
    // a tenant API server: its structured authentication configuration,
    // the plan's ConfigMap in its management namespace
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

  const authenticate = (
    req: IncomingMessage,
    clusterId: string,
  ): UserInfo | undefined => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = auth.slice(7).trim();
      if (token.split('.').length === 3)
        return fromServiceAccountToken(token, clusterId);
      return tokens.get(token);
    }
    const socket = req.socket as TLSSocket;
    if (socket.authorized) {
      const cert = socket.getPeerCertificate();
      if (cert?.subject?.CN) {
        const o = cert.subject.O;
        const groups = [o ?? []].flat();
        return {
          name: String(cert.subject.CN),
          groups: [...groups, 'system:authenticated'],
        };
      }
    }
    return undefined;
  };

  const serve =
    (
      clusterId: string,
      getCluster: () =>
        | { cluster: SimulatedCluster; ready: boolean }
        | undefined,
    ) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'https://simulator');
      const rule = faultRules.find(
        r =>
          (!r.cluster || r.cluster === clusterId) &&
          (!r.method || r.method.toUpperCase() === req.method) &&
          (typeof r.path === 'string'
            ? url.pathname.startsWith(r.path)
            : r.path.test(url.pathname)),
      );
      if (rule) {
        faultHits++;
        if (rule.times !== undefined && --rule.times <= 0)
          faultRules.splice(faultRules.indexOf(rule), 1);
        if (rule.latencyMs) {
          await new Promise<void>(resolve => {
            const t = setTimeout(() => {
              timers.delete(t);
              resolve();
            }, rule.latencyMs);
            timers.add(t);
          });
        }
        if (rule.hang) {
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        if (rule.status) {
          const reasons: Record<number, [string, string]> = {
            503: [
              'ServiceUnavailable',
              'the server is currently unable to handle the request',
            ],
            504: [
              'Timeout',
              'the server was unable to return a response in the time allotted',
            ],
          };
          const [reason, message] = reasons[rule.status] ?? [
            'InternalError',
            `Internal error occurred: injected fault ${rule.status}`,
          ];
          const err = new ApiStatusError(rule.status, reason, message);
          res.writeHead(rule.status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(err.toStatus()));
          return;
        }
      }
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

  const tlsOptions = {
    key: serving.keyPem,
    cert: serving.certPem,
    ca: [ca.certPem],
    requestCert: true,
    rejectUnauthorized: false,
  };
  const listen = (server: https.Server, port: number) =>
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

  const kamaji = new KamajiSimulation(
    management,
    {
      caPem: ca.certPem,
      issueClient: (user, groups) => ca.issueClient(user, groups),
      startTenant: async (namespace, name) => {
        const id = `${namespace}/${name}`;
        let t = tenants.get(id);
        if (!t) {
          const cluster = new SimulatedCluster(id, false, validators, timings);
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
          const server = https.createServer(tlsOptions);
          const entry = { cluster, server, port: 0, ready: false };
          server.on(
            'request',
            serve(id, () => tenants.get(id)),
          );
          tenants.set(id, entry);
          entry.port = await listen(server, 0);
          t = entry;
        }
        return { host, port: t.port };
      },
      stopTenant: async (namespace, name) => {
        const id = `${namespace}/${name}`;
        const t = tenants.get(id);
        if (!t) return;
        tenants.delete(id);
        t.cluster.stop();
        await close(t.server);
      },
      setTenantReady: (namespace, name, ready) => {
        const t = tenants.get(`${namespace}/${name}`);
        if (t) t.ready = ready;
      },
    },
    {
      readyDelayMs: options.readyDelayMs ?? 1500,
      reconcileLagMs: options.reconcileLagMs ?? 20,
      defaultDataStore: (options.dataStores ?? DEFAULT_DATASTORES)[0].metadata
        .name,
      maxKubernetesVersion: options.maxKubernetesVersion ?? 'v1.35.7',
    },
  );

  const server = https.createServer(tlsOptions);
  server.on(
    'request',
    serve('management', () => ({ cluster: management, ready: true })),
  );
  const port = await listen(server, options.port ?? 0);
  const url = `https://${host}:${port}`;

  const kubeconfigs: SimulatorKubeconfigs = {
    admin: kubeconfig({
      cluster: 'management',
      server: url,
      caPem: ca.certPem,
      user: 'admin',
      token: tokenOf.admin,
    }),
    provisioner: kubeconfig({
      cluster: 'management',
      server: url,
      caPem: ca.certPem,
      user: 'provisioner',
      token: tokenOf.provisioner,
      namespace: portalNamespace,
    }),
    reader: kubeconfig({
      cluster: 'management',
      server: url,
      caPem: ca.certPem,
      user: 'reader',
      token: tokenOf.reader,
      namespace: portalNamespace,
    }),
  };

  let files: ClusterSimulator['files'];
  if (options.outDir) {
    fs.mkdirSync(options.outDir, { recursive: true, mode: 0o700 });
    const write = (name: string, content: string) => {
      const file = path.join(options.outDir!, name);
      fs.writeFileSync(file, content, { mode: 0o600 });
      return file;
    };
    files = {
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
  }

  return {
    url,
    caPem: ca.certPem,
    kubeconfigs,
    users,
    portalNamespace,
    management,
    kamaji,
    files,
    tenant: (namespace, name) => tenants.get(`${namespace}/${name}`)?.cluster,
    faults: {
      add(rule) {
        const entry = { ...rule, id: nextId++ };
        faultRules.push(entry);
        return () => {
          const i = faultRules.indexOf(entry);
          if (i >= 0) faultRules.splice(i, 1);
        };
      },
      clear() {
        faultRules.length = 0;
      },
      get hits() {
        return faultHits;
      },
    },
    async stop() {
      management.stop();
      for (const t of timers) clearTimeout(t);
      for (const res of hanging) res.destroy();
      await Promise.all(
        [...tenants.values()].map(t => {
          t.cluster.stop();
          return close(t.server);
        }),
      );
      tenants.clear();
      await close(server);
    },
  };
}
