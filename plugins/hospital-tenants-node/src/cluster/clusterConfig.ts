import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { User } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import {
  formatIssuePath,
  hospitalTenantsClustersConfigSchema,
} from '@prontuario/plugin-hospital-tenants-common';

/**
 * The two identities the portal uses on the management cluster.
 *
 * @public
 */
export type ClusterIdentity = 'provisioner' | 'reader';

const ROOT = 'hospitalTenants.clusters.management';

function readFile(file: string, key: string) {
  const resolved = path.resolve(file);
  try {
    return fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new InputError(
      `${key}: cannot read ${resolved}: ${(error as Error).message}`,
    );
  }
}

const TOKEN_FILE_PROVIDER = 'hospital-tenants-token-file';

/**
 * Bearer token read from a file and re-read every minute (rotated
 * ServiceAccount tokens), trimmed: client-node's own token-file provider
 * sends a trailing newline as part of the header.
 */
class TokenFileAuthenticator {
  private token?: string;
  private readAt = 0;

  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === TOKEN_FILE_PROVIDER;
  }

  async applyAuthentication(
    user: User,
    opts: { headers?: any },
  ): Promise<void> {
    if (!this.token || Date.now() - this.readAt > 60_000) {
      this.token = (
        await fs.promises.readFile(user.authProvider.config.path, 'utf8')
      ).trim();
      this.readAt = Date.now();
    }
    opts.headers = {
      ...(opts.headers ?? {}),
      Authorization: `Bearer ${this.token}`,
    };
  }
}

/**
 * Builds the KubeConfig of one identity on the management cluster from
 * `hospitalTenants.clusters.management` (see config.d.ts): either a
 * kubeconfig file per identity, or the cluster's `url` and CA with the
 * identity's `token`/`tokenFile`. Relative paths are resolved against the
 * backend's working directory.
 *
 * @public
 */
export function managementKubeConfig(
  config: Config,
  identity: ClusterIdentity,
): KubeConfig {
  // types, the https URL and "one of token, tokenFile or kubeconfigPath"
  // come from the common schema
  const parsed = hospitalTenantsClustersConfigSchema.safeParse(
    config.getOptional('hospitalTenants.clusters') ?? { management: {} },
  );
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues
        .map(
          i =>
            `${formatIssuePath(['hospitalTenants', 'clusters', ...i.path])}: ${
              i.message
            }`,
        )
        .join('; '),
    );
  }
  const management = config.getOptionalConfig(ROOT);
  if (!management) {
    throw new InputError(
      `${ROOT}: missing configuration (the management cluster and its provisioner and reader identities)`,
    );
  }
  const id = management.getOptionalConfig(identity);
  if (!id)
    throw new InputError(
      `${ROOT}.${identity}: missing configuration of the ${identity} identity`,
    );
  const kc = new KubeConfig();
  const kubeconfigPath = id.getOptionalString('kubeconfigPath');
  if (kubeconfigPath) {
    kc.loadFromString(
      readFile(kubeconfigPath, `${ROOT}.${identity}.kubeconfigPath`),
    );
    return kc;
  }
  const url = management.getOptionalString('url');
  if (!url)
    throw new InputError(
      `${ROOT}.url: required unless ${ROOT}.${identity}.kubeconfigPath is set`,
    );
  const caFile = management.getOptionalString('caFile');
  const caData =
    management.getOptionalString('caData') ??
    (caFile
      ? Buffer.from(readFile(caFile, `${ROOT}.caFile`)).toString('base64')
      : undefined);
  const tokenFile = id.getOptionalString('tokenFile');
  const token = id.getOptionalString('token');
  if (tokenFile) {
    // fail at start, not at the first request
    readFile(tokenFile, `${ROOT}.${identity}.tokenFile`);
  }
  kc.loadFromOptions({
    clusters: [
      { name: 'management', server: url, caData, skipTLSVerify: false },
    ],
    users: [
      token
        ? { name: identity, token }
        : {
            name: identity,
            authProvider: {
              name: TOKEN_FILE_PROVIDER,
              config: { path: path.resolve(tokenFile!) },
            },
          },
    ],
    contexts: [{ name: identity, cluster: 'management', user: identity }],
    currentContext: identity,
  });
  kc.addAuthenticator(
    new TokenFileAuthenticator() as Parameters<
      KubeConfig['addAuthenticator']
    >[0],
  );
  return kc;
}
