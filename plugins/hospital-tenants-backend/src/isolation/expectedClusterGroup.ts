import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  HospitalTenantsConfig,
  resolveEnvironment,
  TENANT_ANNOTATIONS,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  readHospitalTenantsConfig,
  tenantClusterGroupName,
} from '@prontuario/plugin-hospital-tenants-node';
import { OwnerClusterGroup } from '../tenants/TenantIndex';
import {
  DEFAULT_EXPECTATIONS,
  IsolationExpectations,
} from './evaluateIsolation';

/** The group a tenant's department RoleBindings must bind, or why it is not known. */
export type ExpectedClusterGroup = { name: string } | { unknown: string };

/** The platform configuration the expected group needs (regions, their OIDC), or why it is missing. */
export type TenantsConfigForIsolation =
  | { config: HospitalTenantsConfig }
  | { problem: string };

/**
 * Reads the `hospitalTenants` block the plan builders read, for the OIDC
 * groups prefix of each region and environment. Missing or invalid, the
 * tenant RBAC check is `unknown` (the rest of the API still serves).
 */
export function readTenantsConfigForIsolation(
  config: RootConfigService,
  logger: LoggerService,
): TenantsConfigForIsolation {
  if (!config.has('hospitalTenants.regions')) {
    return {
      problem:
        'hospitalTenants.regions is not configured, so the OIDC groups prefix of the tenant clusters is unknown',
    };
  }
  try {
    return { config: readHospitalTenantsConfig(config) };
  } catch (error) {
    logger.warn(
      `The tenant RBAC check cannot derive the tenants' cluster groups: ${error}`,
    );
    return {
      problem:
        'the hospitalTenants configuration is invalid (see the backend log)',
    };
  }
}

/**
 * The group name the tenant API server sees for the hospital: the owner
 * group's `hospital-tenants.io/cluster-group` behind the OIDC groups prefix
 * of the tenant's region and environment (read from its control plane's
 * facts), through the same function the tenant-layer builder binds it with.
 */
export function expectedClusterGroup(options: {
  clusterGroup: OwnerClusterGroup | undefined;
  tenantsConfig: TenantsConfigForIsolation;
  tcp: { metadata: { annotations?: Record<string, string> } };
}): ExpectedClusterGroup {
  const { clusterGroup, tenantsConfig, tcp } = options;
  if (!clusterGroup) {
    return { unknown: "the tenant's owner group has not been read yet" };
  }
  if ('problem' in clusterGroup) return { unknown: clusterGroup.problem };
  if ('problem' in tenantsConfig) return { unknown: tenantsConfig.problem };
  const region = tcp.metadata.annotations?.[TENANT_ANNOTATIONS.region];
  const environment =
    tcp.metadata.annotations?.[TENANT_ANNOTATIONS.environment];
  const env =
    region && environment
      ? resolveEnvironment(tenantsConfig.config, region, environment)
      : undefined;
  if (!env) {
    return {
      unknown: `the control plane's region and environment (${region ?? '?'}/${
        environment ?? '?'
      }) are not configured, so the OIDC groups prefix is unknown`,
    };
  }
  return { name: tenantClusterGroupName(clusterGroup.name, env) };
}

/**
 * What the management-layer checks expect of the platform: the portal's and
 * Kamaji's namespaces from `hospitalTenants.network.management` (the plan's
 * own), and for cluster-wide bindings also its monitoring namespace and
 * `hospitalTenants.api.isolation.platformServiceAccountNamespaces`.
 */
export function isolationExpectations(
  config: RootConfigService,
  tenantsConfig: TenantsConfigForIsolation,
): IsolationExpectations {
  const extra =
    config.getOptionalStringArray(
      'hospitalTenants.api.isolation.platformServiceAccountNamespaces',
    ) ?? [];
  if ('problem' in tenantsConfig) {
    return {
      ...DEFAULT_EXPECTATIONS,
      platformClusterServiceAccountNamespaces: [
        ...DEFAULT_EXPECTATIONS.platformClusterServiceAccountNamespaces,
        ...extra,
      ],
    };
  }
  const management = tenantsConfig.config.network.management;
  return {
    ...DEFAULT_EXPECTATIONS,
    platformServiceAccountNamespaces: [
      management.portalNamespace,
      management.kamajiNamespace,
    ],
    platformClusterServiceAccountNamespaces: [
      management.monitoringNamespace,
      ...extra,
    ],
  };
}
