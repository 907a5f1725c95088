/*
 * The API server's own checks beyond the OpenAPI schema, for the kinds the
 * portal writes: names, metadata (labels, annotations), quantities, and the
 * per-kind semantic validation of pkg/apis/.../validation.
 */
import { isCIDR } from './cel';
import { QUANTITY_RE, parseQuantity } from './quantity';
import type { StatusCause } from './status';

type Obj = Record<string, any>;

const show = (v: unknown) =>
  typeof v === 'string' ? `"${v}"` : JSON.stringify(v);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function validateName(kind: string, name: string): string | undefined {
  if (kind === 'Namespace' || kind === 'Service') {
    const re = kind === 'Service' ? DNS1035_LABEL : DNS1123_LABEL;
    if (name.length > 63 || !re.test(name)) {
      return kind === 'Service'
        ? `Invalid value: "${name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`
        : `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
    }
    return undefined;
  }
  if (kind.startsWith('Role') || kind.startsWith('ClusterRole')) {
    return name &&
      !name.includes('/') &&
      !name.includes('%') &&
      name !== '.' &&
      name !== '..'
      ? undefined
      : `Invalid value: "${name}": may not contain '/'`;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  }
  return undefined;
}

function validateQualifiedKey(k: string): boolean {
  const parts = k.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (
    parts.length === 2 &&
    (parts[0].length === 0 ||
      parts[0].length > 253 ||
      !DNS1123_SUBDOMAIN.test(parts[0]))
  )
    return false;
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** metadata checks of kube-apiserver (ObjectMeta validation). */
export function validateMetadata(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const md = obj.metadata ?? {};
  const nameError = md.name ? validateName(obj.kind, md.name) : undefined;
  if (!md.name)
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
      field: 'metadata.name',
    });
  else if (nameError)
    causes.push({
      reason: 'FieldValueInvalid',
      message: nameError,
      field: 'metadata.name',
    });
  for (const [k, v] of Object.entries<any>(md.labels ?? {})) {
    if (!validateQualifiedKey(k))
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        field: 'metadata.labels',
      });
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v))
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(
          v,
        )}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        field: `metadata.labels`,
      });
  }
  for (const [k, v] of Object.entries<any>(md.annotations ?? {})) {
    if (!validateQualifiedKey(k.toLowerCase()))
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        field: 'metadata.annotations',
      });
    if (typeof v !== 'string')
      causes.push({
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${show(v)}: must be a string`,
        field: `metadata.annotations.${k}`,
      });
  }
  return causes;
}

function checkQuantities(
  map: Obj | undefined,
  field: string,
  causes: StatusCause[],
) {
  for (const [k, v] of Object.entries(map ?? {})) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    if (!QUANTITY_RE.test(String(v)) || parseQuantity(v) === undefined) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${v}": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
        field: `${field}[${k}]`,
      });
    } else if ((parseQuantity(v) ?? 0) < 0) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${v}": must be greater than or equal to 0`,
        field: `${field}[${k}]`,
      });
    }
  }
}

function checkContainers(
  podSpec: Obj | undefined,
  field: string,
  causes: StatusCause[],
) {
  for (const list of ['containers', 'initContainers'] as const) {
    (podSpec?.[list] ?? []).forEach((c: Obj, i: number) => {
      checkQuantities(
        c.resources?.requests,
        `${field}.${list}[${i}].resources.requests`,
        causes,
      );
      checkQuantities(
        c.resources?.limits,
        `${field}.${list}[${i}].resources.limits`,
        causes,
      );
      for (const [r, req] of Object.entries<any>(c.resources?.requests ?? {})) {
        const lim = c.resources?.limits?.[r];
        if (
          lim !== undefined &&
          (parseQuantity(req) ?? 0) > (parseQuantity(lim) ?? Infinity)
        ) {
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: "${req}": must be less than or equal to ${r} limit of ${lim}`,
            field: `${field}.${list}[${i}].resources.requests`,
          });
        }
      }
    });
  }
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

type SemanticCheck = (
  obj: Obj,
  old: Obj | undefined,
  causes: StatusCause[],
) => void;

function checkLimitRange(
  obj: Obj,
  _old: Obj | undefined,
  causes: StatusCause[],
) {
  const spec = obj.spec ?? {};
  (spec.limits ?? []).forEach((l: Obj, i: number) => {
    const f = `spec.limits[${i}]`;
    for (const k of [
      'default',
      'defaultRequest',
      'max',
      'min',
      'maxLimitRequestRatio',
    ])
      checkQuantities(l[k], `${f}.${k}`, causes);
    const q = (m: Obj | undefined, r: string) =>
      m?.[r] === undefined ? undefined : parseQuantity(m[r]);
    const resources = new Set([
      ...Object.keys(l.default ?? {}),
      ...Object.keys(l.defaultRequest ?? {}),
      ...Object.keys(l.max ?? {}),
      ...Object.keys(l.min ?? {}),
    ]);
    for (const r of resources) {
      const [min, max, def, defReq] = [
        q(l.min, r),
        q(l.max, r),
        q(l.default, r),
        q(l.defaultRequest, r),
      ];
      if (min !== undefined && max !== undefined && min > max)
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${l.min[r]}": min value ${l.min[r]} is greater than max value ${l.max[r]}`,
          field: `${f}.min[${r}]`,
        });
      if (defReq !== undefined && max !== undefined && defReq > max)
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${l.defaultRequest[r]}": default request value ${l.defaultRequest[r]} is greater than max value ${l.max[r]}`,
          field: `${f}.defaultRequest[${r}]`,
        });
      if (defReq !== undefined && min !== undefined && defReq < min)
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${l.defaultRequest[r]}": min value ${l.min[r]} is greater than default request value ${l.defaultRequest[r]}`,
          field: `${f}.defaultRequest[${r}]`,
        });
      if (def !== undefined && max !== undefined && def > max)
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${l.default[r]}": default value ${l.default[r]} is greater than max value ${l.max[r]}`,
          field: `${f}.default[${r}]`,
        });
      if (def !== undefined && min !== undefined && def < min)
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${l.default[r]}": min value ${l.min[r]} is greater than default value ${l.default[r]}`,
          field: `${f}.default[${r}]`,
        });
      if (def !== undefined && defReq !== undefined && defReq > def)
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${l.defaultRequest[r]}": default request value ${l.defaultRequest[r]} is greater than default limit value ${l.default[r]}`,
          field: `${f}.defaultRequest[${r}]`,
        });
    }
  });
}

function checkNetworkPolicy(
  obj: Obj,
  _old: Obj | undefined,
  causes: StatusCause[],
) {
  const spec = obj.spec ?? {};
  (spec.policyTypes ?? []).forEach((t: string, i: number) => {
    if (t !== 'Ingress' && t !== 'Egress')
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${t}": supported values: "Ingress", "Egress"`,
        field: `spec.policyTypes[${i}]`,
      });
  });
  for (const dir of ['ingress', 'egress'] as const) {
    (spec[dir] ?? []).forEach((rule: Obj, i: number) => {
      const peers = dir === 'ingress' ? 'from' : 'to';
      (rule.ports ?? []).forEach((p: Obj, j: number) => {
        const f = `spec.${dir}[${i}].ports[${j}]`;
        if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol))
          causes.push({
            reason: 'FieldValueNotSupported',
            message: `Unsupported value: "${p.protocol}": supported values: "SCTP", "TCP", "UDP"`,
            field: `${f}.protocol`,
          });
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535))
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${p.port}: must be between 1 and 65535, inclusive`,
            field: `${f}.port`,
          });
        if (
          p.endPort !== undefined &&
          (typeof p.port !== 'number' || p.endPort < p.port)
        )
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${p.endPort}: must be greater than or equal to \`port\``,
            field: `${f}.endPort`,
          });
      });
      (rule[peers] ?? []).forEach((peer: Obj, j: number) => {
        const f = `spec.${dir}[${i}].${peers}[${j}]`;
        const set = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(
          k => peer[k] !== undefined,
        );
        if (set.length === 0)
          causes.push({
            reason: 'FieldValueRequired',
            message: 'Required value: must specify a peer',
            field: f,
          });
        if (peer.ipBlock && set.length > 1)
          causes.push({
            reason: 'FieldValueForbidden',
            message: 'Forbidden: may not specify more than 1 peer type',
            field: f,
          });
        if (peer.ipBlock) {
          if (!isCIDR(peer.ipBlock.cidr))
            causes.push({
              reason: 'FieldValueInvalid',
              message: `Invalid value: "${peer.ipBlock.cidr}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
              field: `${f}.ipBlock.cidr`,
            });
          (peer.ipBlock.except ?? []).forEach((e: string, k: number) => {
            if (!isCIDR(e))
              causes.push({
                reason: 'FieldValueInvalid',
                message: `Invalid value: "${e}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
                field: `${f}.ipBlock.except[${k}]`,
              });
          });
        }
      });
    });
  }
}

function checkRoleRules(
  obj: Obj,
  _old: Obj | undefined,
  causes: StatusCause[],
) {
  (obj.rules ?? []).forEach((rule: Obj, i: number) => {
    if (!rule.verbs?.length)
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: verbs must contain at least one value',
        field: `rules[${i}].verbs`,
      });
    if (
      !rule.nonResourceURLs?.length &&
      (rule.apiGroups === undefined || !rule.resources?.length)
    )
      causes.push({
        reason: 'FieldValueRequired',
        message:
          'Required value: resource rules must supply at least one api group and one resource',
        field: `rules[${i}]`,
      });
  });
}

function checkRoleBinding(
  obj: Obj,
  old: Obj | undefined,
  causes: StatusCause[],
) {
  const ref = obj.roleRef ?? {};
  const allowed =
    obj.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!allowed.includes(ref.kind))
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${ref.kind}": supported values: ${allowed
        .map(show)
        .join(', ')}`,
      field: 'roleRef.kind',
    });
  if (ref.apiGroup !== 'rbac.authorization.k8s.io')
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${ref.apiGroup}": supported values: "rbac.authorization.k8s.io"`,
      field: 'roleRef.apiGroup',
    });
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(obj.roleRef))
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(
        obj.roleRef,
      )}: cannot change roleRef`,
      field: 'roleRef',
    });
  (obj.subjects ?? []).forEach((s: Obj, i: number) => {
    if (
      s.kind === 'ServiceAccount' &&
      !s.namespace &&
      obj.kind === 'ClusterRoleBinding'
    )
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: `subjects[${i}].namespace`,
      });
    if (!['ServiceAccount', 'User', 'Group'].includes(s.kind))
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${s.kind}": supported values: "ServiceAccount", "User", "Group"`,
        field: `subjects[${i}].kind`,
      });
  });
}

const checkPod: SemanticCheck = (obj, _old, causes) =>
  checkContainers(obj.spec ?? {}, 'spec', causes);

const checkPodTemplate: SemanticCheck = (obj, _old, causes) =>
  checkContainers(obj.spec?.template?.spec, 'spec.template.spec', causes);

/** The semantic checks kube-apiserver runs per kind (pkg/apis/.../validation). */
const SEMANTIC_CHECKS: Record<string, SemanticCheck> = {
  ResourceQuota: (obj, _old, causes) =>
    checkQuantities(obj.spec?.hard, 'spec.hard', causes),
  LimitRange: checkLimitRange,
  NetworkPolicy: checkNetworkPolicy,
  Role: checkRoleRules,
  ClusterRole: checkRoleRules,
  RoleBinding: checkRoleBinding,
  ClusterRoleBinding: checkRoleBinding,
  Pod: checkPod,
  Deployment: checkPodTemplate,
  ReplicaSet: checkPodTemplate,
  StatefulSet: checkPodTemplate,
  DaemonSet: checkPodTemplate,
  Job: checkPodTemplate,
};

/** The semantic validation kube-apiserver runs per kind (pkg/apis/.../validation). */
export function validateSemantics(
  obj: Obj,
  old: Obj | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  SEMANTIC_CHECKS[obj.kind]?.(obj, old, causes);
  return causes;
}
