/*
 * The CEL rules (`x-kubernetes-validations`) of Kamaji's CRDs, implemented
 * one by one. The table is keyed by the exact rule text: a CRD with a rule
 * that is missing here fails to load, so a schema update cannot silently
 * weaken the simulator.
 */
import { isIP } from 'node:net';

type Rule = (self: any, oldSelf: any) => boolean;

const has = (v: any, ...path: string[]) => {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || !(p in cur)) return false;
    cur = cur[p];
  }
  return true;
};

/** CEL's isCIDR(): an IP prefix in canonical form. */
export function isCIDR(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [ip, bits, ...rest] = value.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits))
    return false;
  const family = isIP(ip);
  if (family === 0) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

const hasContentOrRef = (v: any) =>
  has(v, 'secretReference') || has(v, 'content');

export const CEL_RULES: Record<string, Rule> = {
  "!(self.mode == 'DaemonSet' && has(self.replicas) && self.replicas != 0) && !(self.mode == 'Deployment' && has(self.replicas) && self.replicas == 0)":
    s =>
      !(s.mode === 'DaemonSet' && has(s, 'replicas') && s.replicas !== 0) &&
      !(s.mode === 'Deployment' && has(s, 'replicas') && s.replicas === 0),
  '!(has(self.ingress) && has(self.gateway))': s =>
    !(has(s, 'ingress') && has(s, 'gateway')),
  'self == oldSelf': (s, o) => JSON.stringify(s) === JSON.stringify(o),
  "self == '' || isIP(self)": s => s === '' || isIP(s) !== 0,
  'self.all(r, isCIDR(r))': s => s.every(isCIDR),
  'self.all(x, isCIDR(x))': s => s.every(isCIDR),
  "self == '' || isCIDR(self)": s => s === '' || isCIDR(s),
  '!has(oldSelf.dataStore) || has(self.dataStore)': (s, o) =>
    !has(o, 'dataStore') || has(s, 'dataStore'),
  '!has(oldSelf.dataStoreSchema) || has(self.dataStoreSchema)': (s, o) =>
    !has(o, 'dataStoreSchema') || has(s, 'dataStoreSchema'),
  '!has(oldSelf.dataStoreUsername) || has(self.dataStoreUsername)': (s, o) =>
    !has(o, 'dataStoreUsername') || has(s, 'dataStoreUsername'),
  "!has(self.networkProfile.loadBalancerSourceRanges) || (size(self.networkProfile.loadBalancerSourceRanges) == 0 || self.controlPlane.service.serviceType == 'LoadBalancer')":
    s =>
      !has(s, 'networkProfile', 'loadBalancerSourceRanges') ||
      s.networkProfile.loadBalancerSourceRanges.length === 0 ||
      s.controlPlane.service.serviceType === 'LoadBalancer',
  "!has(self.networkProfile.loadBalancerClass) || self.controlPlane.service.serviceType == 'LoadBalancer'":
    s =>
      !has(s, 'networkProfile', 'loadBalancerClass') ||
      s.controlPlane.service.serviceType === 'LoadBalancer',
  "!has(self.controlPlane.service.allocateLoadBalancerNodePorts) || self.controlPlane.service.serviceType == 'LoadBalancer'":
    s =>
      !has(s, 'controlPlane', 'service', 'allocateLoadBalancerNodePorts') ||
      s.controlPlane.service.serviceType === 'LoadBalancer',
  "self.controlPlane.service.serviceType != 'LoadBalancer' || (oldSelf.controlPlane.service.serviceType != 'LoadBalancer' && self.controlPlane.service.serviceType == 'LoadBalancer') || has(self.networkProfile.loadBalancerClass) == has(oldSelf.networkProfile.loadBalancerClass)":
    (s, o) =>
      s.controlPlane.service.serviceType !== 'LoadBalancer' ||
      (o.controlPlane.service.serviceType !== 'LoadBalancer' &&
        s.controlPlane.service.serviceType === 'LoadBalancer') ||
      has(s, 'networkProfile', 'loadBalancerClass') ===
        has(o, 'networkProfile', 'loadBalancerClass'),
  'oldSelf == null || self.driver == oldSelf.driver': (s, o) =>
    o === null || o === undefined || s.driver === o.driver,
  '(self.driver == "etcd") ? (self.tlsConfig != null && (has(self.tlsConfig.clientCertificate.privateKey.secretReference) || has(self.tlsConfig.clientCertificate.privateKey.content))) : true':
    s =>
      s.driver === 'etcd'
        ? !!s.tlsConfig &&
          hasContentOrRef(s.tlsConfig.clientCertificate?.privateKey)
        : true,
  '(self.driver == "etcd") ? (self.tlsConfig != null && (has(self.tlsConfig.clientCertificate.certificate.secretReference) || has(self.tlsConfig.clientCertificate.certificate.content))) : true':
    s =>
      s.driver === 'etcd'
        ? !!s.tlsConfig &&
          hasContentOrRef(s.tlsConfig.clientCertificate?.certificate)
        : true,
  '(self.driver == "etcd") ? (self.tlsConfig != null && (has(self.tlsConfig.certificateAuthority.privateKey.secretReference) || has(self.tlsConfig.certificateAuthority.privateKey.content))) : true':
    s =>
      s.driver === 'etcd'
        ? !!s.tlsConfig &&
          hasContentOrRef(s.tlsConfig.certificateAuthority?.privateKey)
        : true,
  '(self.driver != "etcd") ? (has(self.tlsConfig) || has(self.basicAuth)) : true':
    s =>
      s.driver !== 'etcd' ? has(s, 'tlsConfig') || has(s, 'basicAuth') : true,
  '(self.driver != "etcd" && has(self.tlsConfig) && has(self.tlsConfig.clientCertificate)) ? (((has(self.tlsConfig.clientCertificate.certificate.secretReference) || has(self.tlsConfig.clientCertificate.certificate.content)))) : true':
    s =>
      s.driver !== 'etcd' && has(s, 'tlsConfig', 'clientCertificate')
        ? hasContentOrRef(s.tlsConfig.clientCertificate.certificate)
        : true,
  '(self.driver != "etcd" && has(self.basicAuth)) ? ((has(self.basicAuth.username.secretReference) || has(self.basicAuth.username.content))) : true':
    s =>
      s.driver !== 'etcd' && has(s, 'basicAuth')
        ? hasContentOrRef(s.basicAuth.username)
        : true,
  '(self.driver != "etcd" && has(self.basicAuth)) ? ((has(self.basicAuth.password.secretReference) || has(self.basicAuth.password.content))) : true':
    s =>
      s.driver !== 'etcd' && has(s, 'basicAuth')
        ? hasContentOrRef(s.basicAuth.password)
        : true,
};

/** Whether a rule compares with the stored object (a transition rule). */
export function isTransitionRule(rule: string) {
  return rule.includes('oldSelf');
}
