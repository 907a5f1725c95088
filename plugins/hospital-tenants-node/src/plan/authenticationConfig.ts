import { stringify } from 'yaml';
import { TenantSpec } from '@prontuario/plugin-hospital-tenants-common';
import {
  MANAGEMENT_USERNAME_PREFIX,
  TENANT_CHECKER_SERVICE_ACCOUNT,
  tenantAudience,
} from '../cluster/tenantReaderIdentity';
import { objectMeta } from './common';
import { KubernetesObject } from './types';

/**
 * The ConfigMap (in `tenant-<slug>`) holding the tenant API server's
 * structured authentication configuration, and the volume that mounts it.
 * One fixed name, so RBAC (`resourceNames`) and the admission policies of
 * deploy/rbac can pin it.
 *
 * @public
 */
export const AUTHENTICATION_CONFIG_NAME = 'hospital-tenants-authentication';

/** Where the API server reads its authentication configuration. @public */
export const AUTHENTICATION_CONFIG_DIR = '/etc/hospital-tenants/authentication';

/**
 * The management cluster's ServiceAccount token issuer when the
 * configuration names none: the in-cluster API server, which Kamaji's
 * control-plane pods (running on the management cluster) reach.
 *
 * @public
 */
export const DEFAULT_MANAGEMENT_SERVICE_ACCOUNT_ISSUER =
  'https://kubernetes.default.svc.cluster.local';

/**
 * The management cluster's ServiceAccount token issuer as a tenant API
 * server must know it: its URL (the `iss` of its tokens, whose discovery
 * document and keys the tenant API server fetches) and, when that URL is
 * not served with a publicly trusted certificate, the CA (PEM) to verify it.
 *
 * @public
 */
export interface ManagementServiceAccountIssuer {
  url: string;
  certificateAuthority?: string;
}

/**
 * The OIDC settings of an environment (`hospitalTenants.regions.*.environments.*.oidc`).
 *
 * @public
 */
export interface TenantOidc {
  issuerUrl: string;
  clientId: string;
  usernameClaim: string;
  usernamePrefix: string;
  groupsClaim: string;
  groupsPrefix: string;
}

/**
 * The `AuthenticationConfiguration` of a tenant API server
 * (`--authentication-config`, which replaces the `--oidc-*` flags): the
 * hospital's OIDC issuer when configured, and the management cluster's
 * ServiceAccount issuer for the audience of this tenant only, accepting
 * only the checker ServiceAccount, named with the `management:` prefix.
 *
 * @public
 */
export function tenantAuthenticationConfiguration(
  spec: Pick<TenantSpec, 'slug'>,
  options: {
    oidc?: TenantOidc;
    managementIssuer?: ManagementServiceAccountIssuer;
  },
) {
  const checker = `system:serviceaccount:${TENANT_CHECKER_SERVICE_ACCOUNT.namespace}:${TENANT_CHECKER_SERVICE_ACCOUNT.name}`;
  const jwt: object[] = [];
  if (options.oidc) {
    const o = options.oidc;
    jwt.push({
      issuer: { url: o.issuerUrl, audiences: [o.clientId] },
      claimMappings: {
        username: { claim: o.usernameClaim, prefix: o.usernamePrefix },
        groups: { claim: o.groupsClaim, prefix: o.groupsPrefix },
      },
    });
  }
  jwt.push({
    issuer: {
      url:
        options.managementIssuer?.url ??
        DEFAULT_MANAGEMENT_SERVICE_ACCOUNT_ISSUER,
      ...(options.managementIssuer?.certificateAuthority
        ? {
            certificateAuthority: options.managementIssuer.certificateAuthority,
          }
        : {}),
      audiences: [tenantAudience(spec.slug)],
    },
    claimValidationRules: [
      {
        expression: `claims.sub == '${checker}'`,
        message: 'only the portal checker ServiceAccount is accepted',
      },
    ],
    claimMappings: {
      username: { claim: 'sub', prefix: MANAGEMENT_USERNAME_PREFIX },
    },
  });
  return {
    apiVersion: 'apiserver.config.k8s.io/v1beta1',
    kind: 'AuthenticationConfiguration',
    jwt,
  };
}

/**
 * The ConfigMap that carries {@link tenantAuthenticationConfiguration}
 * into the tenant's control plane pods. Immutable: changing how a tenant
 * authenticates is a break-glass operation (deploy/README.md).
 *
 * @public
 */
export function buildAuthenticationConfigMap(
  spec: Pick<TenantSpec, 'slug'>,
  namespace: string,
  options: {
    oidc?: TenantOidc;
    managementIssuer?: ManagementServiceAccountIssuer;
  },
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(
      spec.slug,
      'management-cluster',
      AUTHENTICATION_CONFIG_NAME,
      namespace,
    ),
    immutable: true,
    data: {
      'config.yaml': stringify(
        tenantAuthenticationConfiguration(spec, options),
        {
          lineWidth: 0,
        },
      ),
    },
  } as KubernetesObject;
}
