import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  formatIssuePath,
  hospitalTenantsProvisioningConfigSchema,
} from '@prontuario/plugin-hospital-tenants-common';
import { HOSPITAL_TENANTS_FIELD_MANAGER } from '@prontuario/plugin-hospital-tenants-node';

/** Settings of the provisioning actions (`hospitalTenants.provisioning`). @public */
export interface ProvisioningSettings {
  readyTimeoutMs: number;
  entityTimeoutMs: number;
  pollIntervalMs: number;
  requestTimeoutMs: number;
  fieldManager: string;
  provisionerServiceAccount: { name: string; namespace: string };
  /** the management cluster's token issuer the tenant API servers trust (`managementServiceAccountIssuer`) */
  managementServiceAccountIssuer?: {
    url: string;
    certificateAuthority?: string;
  };
  /** the grant janitor (`grantJanitor.frequency`, `grantJanitor.maxAge`) */
  grantJanitor: { frequencyMs: number; maxAgeMs: number };
}

const ROOT = 'hospitalTenants.provisioning';

/** The documented defaults (config.d.ts). @public */
export const DEFAULT_PROVISIONING_SETTINGS: ProvisioningSettings = {
  readyTimeoutMs: 10 * 60_000,
  entityTimeoutMs: 2 * 60_000,
  pollIntervalMs: 2000,
  requestTimeoutMs: 30_000,
  fieldManager: HOSPITAL_TENANTS_FIELD_MANAGER,
  provisionerServiceAccount: {
    name: 'hospital-tenants-provisioner',
    namespace: 'backstage',
  },
  grantJanitor: {
    frequencyMs: 5 * 60_000,
    maxAgeMs: 10 * 60_000 + 2 * 60_000 + 5 * 60_000,
  },
};

/** The margin the janitor's default max age adds for applying both layers. */
const APPLY_MARGIN_MS = 5 * 60_000;

function duration(config: Config | undefined, key: string, fallback: number) {
  if (!config?.has(key)) return fallback;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `${ROOT}.${key}: not a duration (${(error as Error).message})`,
    );
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new InputError(`${ROOT}.${key}: must be a positive duration`);
  }
  return ms;
}

/**
 * Reads `hospitalTenants.provisioning` with its defaults; an invalid value
 * throws an InputError naming its key.
 *
 * @public
 */
export function readProvisioningSettings(config: Config): ProvisioningSettings {
  // the shape and the URLs from the common schema; the durations below
  const parsed = hospitalTenantsProvisioningConfigSchema.safeParse(
    config.getOptional(ROOT) ?? {},
  );
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues
        .map(i => `${formatIssuePath([ROOT, ...i.path])}: ${i.message}`)
        .join('; '),
    );
  }
  const settings = parsed.data;
  const c = config.getOptionalConfig(ROOT);
  const d = DEFAULT_PROVISIONING_SETTINGS;
  const readyTimeoutMs = duration(c, 'readyTimeout', d.readyTimeoutMs);
  const entityTimeoutMs = duration(c, 'entityTimeout', d.entityTimeoutMs);
  const runTimeoutMs = readyTimeoutMs + entityTimeoutMs;
  const maxAgeMs = duration(
    c,
    'grantJanitor.maxAge',
    runTimeoutMs + APPLY_MARGIN_MS,
  );
  if (maxAgeMs < runTimeoutMs) {
    throw new InputError(
      `${ROOT}.grantJanitor.maxAge: must be at least readyTimeout + entityTimeout (${Math.round(
        runTimeoutMs / 1000,
      )}s), or the janitor would revoke the grant of a run still in progress`,
    );
  }
  const issuer = settings.managementServiceAccountIssuer;
  const managementServiceAccountIssuer:
    | ProvisioningSettings['managementServiceAccountIssuer']
    | undefined = issuer
    ? {
        url: issuer.url,
        ...(issuer.certificateAuthority
          ? { certificateAuthority: issuer.certificateAuthority }
          : {}),
      }
    : undefined;
  return {
    readyTimeoutMs,
    entityTimeoutMs,
    ...(managementServiceAccountIssuer
      ? { managementServiceAccountIssuer }
      : {}),
    grantJanitor: {
      frequencyMs: duration(
        c,
        'grantJanitor.frequency',
        d.grantJanitor.frequencyMs,
      ),
      maxAgeMs,
    },
    pollIntervalMs: duration(c, 'pollInterval', d.pollIntervalMs),
    requestTimeoutMs: duration(c, 'requestTimeout', d.requestTimeoutMs),
    fieldManager: settings.fieldManager ?? d.fieldManager,
    provisionerServiceAccount:
      settings.provisionerServiceAccount ?? d.provisionerServiceAccount,
  };
}
