/*
 * The built-in admission plugins that matter for the portal's objects:
 * LimitRanger (defaults and limits), ResourceQuota (usage and limits),
 * PodSecurity (the namespace's enforce level), evaluated on every Pod and
 * quota-tracked object the simulated controllers or clients create.
 */
import { ApiStatusError } from './status';
import { formatQuantity, parseQuantity } from './quantity';

type Obj = Record<string, any>;

/** What the admission plugins need to read from the cluster. */
export interface AdmissionReader {
  listNamespaced(group: string, plural: string, namespace: string): Obj[];
  getNamespace(name: string): Obj | undefined;
}

/** a > b, for quantities summed as floating point (0.1 + 0.2 is not 0.3) */
const exceeds = (a: number, b: number) =>
  a - b > 1e-9 * Math.max(1, Math.abs(b));

const containersOf = (pod: Obj): Obj[] => [
  ...(pod.spec?.initContainers ?? []),
  ...(pod.spec?.containers ?? []),
];

function forbiddenPod(name: string, message: string) {
  return new ApiStatusError(
    403,
    'Forbidden',
    `pods "${name}" is forbidden: ${message}`,
    {
      name,
      kind: 'pods',
    },
  );
}

/** LimitRanger: fills container defaults, then enforces min/max/ratio. */
export function limitRanger(reader: AdmissionReader, pod: Obj) {
  const ns = pod.metadata.namespace;
  const errors: string[] = [];
  for (const lr of reader.listNamespaced('', 'limitranges', ns)) {
    for (const item of lr.spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      for (const c of containersOf(pod)) {
        c.resources ??= {};
        for (const [r, v] of Object.entries<any>(item.default ?? {})) {
          c.resources.limits ??= {};
          c.resources.limits[r] ??= v;
        }
        for (const [r, v] of Object.entries<any>(
          item.defaultRequest ?? item.default ?? {},
        )) {
          c.resources.requests ??= {};
          c.resources.requests[r] ??=
            c.resources.limits?.[r] !== undefined && !item.defaultRequest?.[r]
              ? c.resources.limits[r]
              : v;
        }
      }
    }
  }
  for (const lr of reader.listNamespaced('', 'limitranges', ns)) {
    for (const item of lr.spec?.limits ?? []) {
      if (item.type === 'Container') {
        for (const c of containersOf(pod)) {
          for (const [r, min] of Object.entries<any>(item.min ?? {})) {
            const req = c.resources?.requests?.[r];
            if (req === undefined)
              errors.push(
                `minimum ${r} usage per Container is ${min}.  No request is specified`,
              );
            else if (exceeds(parseQuantity(min)!, parseQuantity(req)!))
              errors.push(
                `minimum ${r} usage per Container is ${min}, but request is ${req}`,
              );
          }
          for (const [r, max] of Object.entries<any>(item.max ?? {})) {
            const lim = c.resources?.limits?.[r];
            if (lim === undefined)
              errors.push(
                `maximum ${r} usage per Container is ${max}.  No limit is specified`,
              );
            else if (exceeds(parseQuantity(lim)!, parseQuantity(max)!))
              errors.push(
                `maximum ${r} usage per Container is ${max}, but limit is ${lim}`,
              );
          }
          for (const [r, ratio] of Object.entries<any>(
            item.maxLimitRequestRatio ?? {},
          )) {
            const lim = parseQuantity(c.resources?.limits?.[r]);
            const req = parseQuantity(c.resources?.requests?.[r]);
            if (
              lim !== undefined &&
              req !== undefined &&
              req > 0 &&
              exceeds(lim / req, parseQuantity(ratio)!)
            ) {
              errors.push(
                `${r} max limit to request ratio per Container is ${ratio}, but provided ratio is ${(
                  lim / req
                ).toFixed(6)}`,
              );
            }
          }
        }
      }
      if (item.type === 'Pod') {
        const sum = (kind: 'requests' | 'limits', r: string) =>
          (pod.spec?.containers ?? []).reduce(
            (acc: number, c: Obj) =>
              acc + (parseQuantity(c.resources?.[kind]?.[r]) ?? 0),
            0,
          );
        for (const [r, max] of Object.entries<any>(item.max ?? {})) {
          if (exceeds(sum('limits', r), parseQuantity(max)!))
            errors.push(
              `maximum ${r} usage per Pod is ${max}, but limit is ${formatQuantity(
                r,
                sum('limits', r),
              )}`,
            );
        }
        for (const [r, min] of Object.entries<any>(item.min ?? {})) {
          if (exceeds(parseQuantity(min)!, sum('requests', r)))
            errors.push(
              `minimum ${r} usage per Pod is ${min}, but request is ${formatQuantity(
                r,
                sum('requests', r),
              )}`,
            );
        }
      }
    }
  }
  if (errors.length)
    throw forbiddenPod(pod.metadata.name, `[${errors.join(', ')}]`);
}

const PLURAL_COUNT: Record<string, [string, string]> = {
  pods: ['', 'pods'],
  services: ['', 'services'],
  secrets: ['', 'secrets'],
  configmaps: ['', 'configmaps'],
  persistentvolumeclaims: ['', 'persistentvolumeclaims'],
  resourcequotas: ['', 'resourcequotas'],
};

/** What an object adds to a quota's usage. */
function usageOf(
  group: string,
  plural: string,
  obj: Obj,
): Record<string, number> {
  const u: Record<string, number> = {};
  const gr = group ? `${plural}.${group}` : plural;
  u[`count/${gr}`] = 1;
  if (!group && PLURAL_COUNT[plural]) u[plural] = 1;
  if (!group && plural === 'services') {
    if (obj.spec?.type === 'LoadBalancer') u['services.loadbalancers'] = 1;
    if (obj.spec?.type === 'NodePort' || obj.spec?.type === 'LoadBalancer')
      u['services.nodeports'] = (obj.spec?.ports ?? []).length;
  }
  if (!group && plural === 'pods') {
    if (
      ['Succeeded', 'Failed'].includes(obj.status?.phase) ||
      obj.metadata?.deletionTimestamp
    )
      return {};
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
        const regular = (obj.spec?.containers ?? []).reduce(
          (acc: number, c: Obj) =>
            acc + (parseQuantity(c.resources?.[kind]?.[r]) ?? 0),
          0,
        );
        const init = (obj.spec?.initContainers ?? []).reduce(
          (acc: number, c: Obj) =>
            Math.max(acc, parseQuantity(c.resources?.[kind]?.[r]) ?? 0),
          0,
        );
        const total = Math.max(regular, init);
        if (total > 0) {
          u[`${kind}.${r}`] = total;
          if (kind === 'requests') u[r] = total;
        }
      }
    }
  }
  if (!group && plural === 'persistentvolumeclaims') {
    u['requests.storage'] =
      parseQuantity(obj.spec?.resources?.requests?.storage) ?? 0;
  }
  return u;
}

/** Current usage of a quota's tracked resources in a namespace. */
export function quotaUsage(
  reader: AdmissionReader,
  namespace: string,
  hard: Obj,
) {
  const used: Record<string, number> = Object.fromEntries(
    Object.keys(hard).map(k => [k, 0]),
  );
  const plurals = new Set<string>([
    'pods',
    'services',
    'secrets',
    'configmaps',
    'persistentvolumeclaims',
    'resourcequotas',
  ]);
  for (const k of Object.keys(hard)) {
    const m = /^count\/([^.]+)(?:\.(.+))?$/.exec(k);
    if (m) plurals.add(`${m[2] ?? ''}|${m[1]}`);
  }
  const seen = new Set<string>();
  for (const p of plurals) {
    const [group, plural] = p.includes('|') ? p.split('|') : ['', p];
    if (seen.has(`${group}|${plural}`)) continue;
    seen.add(`${group}|${plural}`);
    for (const obj of reader.listNamespaced(group, plural, namespace)) {
      for (const [k, v] of Object.entries(usageOf(group, plural, obj)))
        if (k in used) used[k] += v;
    }
  }
  return used;
}

/** The ResourceQuota admission check for a new object. */
export function resourceQuotaAdmission(
  reader: AdmissionReader,
  group: string,
  plural: string,
  obj: Obj,
) {
  const ns = obj.metadata?.namespace;
  if (!ns) return;
  const add = usageOf(group, plural, obj);
  for (const quota of reader.listNamespaced('', 'resourcequotas', ns)) {
    const hard: Obj = quota.spec?.hard ?? {};
    const name = obj.metadata.name;
    const what = `${
      group ? `${plural}.${group}` : plural
    } "${name}" is forbidden`;
    if (plural === 'pods' && !group) {
      const missing: string[] = [];
      for (const r of Object.keys(hard)) {
        const m =
          /^(requests|limits)\.(cpu|memory|ephemeral-storage)$/.exec(r) ??
          (/^(cpu|memory)$/.test(r) ? [r, 'requests', r] : null);
        if (!m) continue;
        const lacking = containersOf(obj)
          .filter(c => c.resources?.[m[1]]?.[m[2]] === undefined)
          .map(c => c.name);
        if (lacking.length) missing.push(`${r} for: ${lacking.join(',')}`);
      }
      if (missing.length) {
        throw new ApiStatusError(
          403,
          'Forbidden',
          `${what}: failed quota: ${
            quota.metadata.name
          }: must specify ${missing.join('; ')}`,
          { name, kind: plural },
        );
      }
    }
    const used = quotaUsage(reader, ns, hard);
    const over = Object.keys(hard).filter(
      k =>
        add[k] !== undefined &&
        exceeds(used[k] + add[k], parseQuantity(hard[k])!),
    );
    if (over.length) {
      const fmt = (vals: Record<string, number | string>) =>
        over
          .map(
            k =>
              `${k}=${
                typeof vals[k] === 'number'
                  ? formatQuantity(k, vals[k] as number)
                  : vals[k]
              }`,
          )
          .join(',');
      throw new ApiStatusError(
        403,
        'Forbidden',
        `${what}: exceeded quota: ${quota.metadata.name}, requested: ${fmt(
          add,
        )}, used: ${fmt(used)}, limited: ${fmt(hard)}`,
        { name, kind: plural },
      );
    }
  }
}

/** The quota's status as the quota controller writes it. */
export function quotaStatus(reader: AdmissionReader, quota: Obj) {
  const hard: Obj = quota.spec?.hard ?? {};
  const used = quotaUsage(reader, quota.metadata.namespace, hard);
  return {
    hard: { ...hard },
    used: Object.fromEntries(
      Object.entries(used).map(([k, v]) => [k, formatQuantity(k, v)]),
    ),
  };
}

const BASELINE_CAPS = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

/** Pod Security Admission for the namespace's `enforce` level. */
export function podSecurityAdmission(reader: AdmissionReader, pod: Obj) {
  const ns = reader.getNamespace(pod.metadata.namespace);
  const level =
    ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce'] ??
    'privileged';
  const version =
    ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce-version'] ??
    'latest';
  if (level === 'privileged') return;
  const spec = pod.spec ?? {};
  const containers = containersOf(pod);
  const violations: string[] = [];
  const names = (cs: Obj[]) => cs.map(c => `"${c.name}"`).join(', ');
  const plural = (cs: Obj[]) => (cs.length === 1 ? 'container' : 'containers');
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC)
    violations.push('host namespaces (hostNetwork=true)');
  const privileged = containers.filter(c => c.securityContext?.privileged);
  if (privileged.length)
    violations.push(
      `privileged (${plural(privileged)} ${names(
        privileged,
      )} must not set securityContext.privileged=true)`,
    );
  const hostPath = (spec.volumes ?? []).filter((v: Obj) => v.hostPath);
  if (hostPath.length)
    violations.push(
      `hostPath volumes (volumes ${hostPath
        .map((v: Obj) => `"${v.name}"`)
        .join(', ')})`,
    );
  const addCaps = containers.filter(c =>
    (c.securityContext?.capabilities?.add ?? []).some(
      (cap: string) => !BASELINE_CAPS.includes(cap),
    ),
  );
  if (addCaps.length)
    violations.push(
      `non-default capabilities (${plural(addCaps)} ${names(
        addCaps,
      )} must not include capabilities beyond the default set)`,
    );
  if (level === 'restricted') {
    const ape = containers.filter(
      c => c.securityContext?.allowPrivilegeEscalation !== false,
    );
    if (ape.length)
      violations.push(
        `allowPrivilegeEscalation != false (${plural(ape)} ${names(
          ape,
        )} must set securityContext.allowPrivilegeEscalation=false)`,
      );
    const caps = containers.filter(
      c => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'),
    );
    if (caps.length)
      violations.push(
        `unrestricted capabilities (${plural(caps)} ${names(
          caps,
        )} must set securityContext.capabilities.drop=["ALL"])`,
      );
    const nonRoot = containers.filter(
      c =>
        (c.securityContext?.runAsNonRoot ??
          spec.securityContext?.runAsNonRoot) !== true,
    );
    if (nonRoot.length)
      violations.push(
        `runAsNonRoot != true (pod or ${plural(nonRoot)} ${names(
          nonRoot,
        )} must set securityContext.runAsNonRoot=true)`,
      );
    const seccomp = containers.filter(
      c =>
        !['RuntimeDefault', 'Localhost'].includes(
          c.securityContext?.seccompProfile?.type ??
            spec.securityContext?.seccompProfile?.type,
        ),
    );
    if (seccomp.length)
      violations.push(
        `seccompProfile (pod or ${plural(seccomp)} ${names(
          seccomp,
        )} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`,
      );
  }
  if (violations.length) {
    throw forbiddenPod(
      pod.metadata.name,
      `violates PodSecurity "${level}:${version}": ${violations.join(', ')}`,
    );
  }
}
