/*
 * The simulator's identities: cluster-admin, and the provisioner and reader
 * ServiceAccounts of the RBAC manifests, each with a bearer token; plus
 * client certificates of the simulator's CA (tenant kubeconfigs).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { randomBytes } from 'node:crypto';
import type { UserInfo } from './rbac';

type Obj = Record<string, any>;

export const saUser = (ns: string, name: string): UserInfo => ({
  name: `system:serviceaccount:${ns}:${name}`,
  groups: [
    'system:serviceaccounts',
    `system:serviceaccounts:${ns}`,
    'system:authenticated',
  ],
});

/** The identities and their tokens (kept from an earlier run when given). */
export function identitiesFrom(
  manifests: Obj[],
  savedTokens: Record<string, string> | undefined,
) {
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
    const token = savedTokens?.[id] ?? randomBytes(24).toString('base64url');
    tokens.set(token, user);
    tokenOf[id] = token;
  }
  return {
    users,
    tokens,
    tokenOf,
    portalNamespace: provisionerSa.metadata.namespace as string,
  };
}

/**
 * Who sent a request: a ServiceAccount token of the management cluster
 * (TokenRequest; on a tenant API server as its structured authentication
 * configuration accepts it), a known bearer token, or a client certificate
 * of the CA.
 */
export function authenticator(
  tokens: Map<string, UserInfo>,
  fromServiceAccountToken?: (
    token: string,
    clusterId: string,
  ) => UserInfo | undefined,
) {
  return (req: IncomingMessage, clusterId: string): UserInfo | undefined => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = auth.slice(7).trim();
      if (fromServiceAccountToken && token.split('.').length === 3)
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
}
