/*
 * Raw HTTPS access to a running simulator, for tests that check the wire
 * format byte by byte rather than through a client library.
 */
import https from 'node:https';
import { parse as parseYaml } from 'yaml';
import { pollUntil } from '@prontuario/plugin-hospital-tenants-node';
import type { ClusterSimulator } from './simulator';

type Obj = Record<string, any>;

/** The credentials inside a kubeconfig (token or client certificate). */
export function credentialsOf(kubeconfigYaml: string) {
  const kc = parseYaml(kubeconfigYaml);
  const ctx = kc.contexts.find(
    (c: Obj) => c.name === kc['current-context'],
  ).context;
  const cluster = kc.clusters.find((c: Obj) => c.name === ctx.cluster).cluster;
  const user = kc.users.find((u: Obj) => u.name === ctx.user).user;
  const b64 = (s?: string) =>
    s ? Buffer.from(s, 'base64').toString() : undefined;
  return {
    server: cluster.server as string,
    ca: b64(cluster['certificate-authority-data'])!,
    token: user.token as string | undefined,
    cert: b64(user['client-certificate-data']),
    key: b64(user['client-key-data']),
  };
}

/** One HTTP exchange with a simulated API server. */
export function rawRequest(
  kubeconfigYaml: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: any; text: string }> {
  const c = credentialsOf(kubeconfigYaml);
  const url = new URL(path, c.server);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: c.ca,
        cert: c.cert,
        key: c.key,
        agent: false,
        headers: {
          ...(c.token ? { Authorization: `Bearer ${c.token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': contentType } : {}),
          Accept: 'application/json',
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', d => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain text (readyz)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined)
      req.end(typeof body === 'string' ? body : JSON.stringify(body));
    else req.end();
  });
}

/** Server-side apply of one object as an identity of the simulator. */
export function applyAs(
  sim: ClusterSimulator,
  identity: 'admin' | 'provisioner' | 'reader',
  obj: Obj,
  fieldManager: string,
  force = false,
) {
  const [group, version] = obj.apiVersion.includes('/')
    ? obj.apiVersion.split('/')
    : ['', obj.apiVersion];
  const rt = sim.management.typeFor(obj.apiVersion, obj.kind)!;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const ns = rt.namespaced ? `/namespaces/${obj.metadata.namespace}` : '';
  const qs = `?fieldManager=${encodeURIComponent(fieldManager)}${
    force ? '&force=true' : ''
  }`;
  return rawRequest(
    sim.kubeconfigs[identity],
    'PATCH',
    `${prefix}${ns}/${rt.plural}/${obj.metadata.name}${qs}`,
    obj,
    'application/apply-patch+yaml',
  );
}

/** Polls until `fn` returns a truthy value. */
export async function eventually<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  return pollUntil(async () => (await fn()) || undefined, {
    timeoutMs,
    intervalMs: 20,
    onTimeout: () => {
      throw new Error('condition not met in time');
    },
  });
}
