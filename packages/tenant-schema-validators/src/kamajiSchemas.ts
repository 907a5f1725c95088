import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KAMAJI_CRD_FILES, kamajiCrdDir } from './kamajiCrdDir';

/**
 * The result of validating an object against a schema.
 *
 * @public
 */
export interface SchemaValidationResult {
  valid: boolean;
  /** One message per problem, each starting with the field path. */
  errors: string[];
}

/**
 * Validators for the Kamaji custom resources, built from the CRDs'
 * `openAPIV3Schema` with unknown fields rejected.
 *
 * @public
 */
export interface KamajiCrdSchemas {
  /** The folder the CRDs were read from. */
  dir: string;
  /** The served versions found, e.g. `kamaji.clastix.io/v1alpha1`. */
  apiVersions: Record<keyof typeof KAMAJI_CRD_FILES, string>;
  validateTenantControlPlane(object: unknown): SchemaValidationResult;
  validateDataStore(object: unknown): SchemaValidationResult;
  /** Picks the validator from `kind`; unknown kinds are reported as errors. */
  validate(object: unknown): SchemaValidationResult;
}

type JsonSchema = Record<string, unknown>;

/**
 * Makes a structural CRD schema strict the way the API server's
 * `fieldValidation=Strict` is: every object that neither declares
 * `additionalProperties` nor `x-kubernetes-preserve-unknown-fields` rejects
 * unknown fields.
 */
function strictify(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(strictify);
  }
  if (!schema || typeof schema !== 'object') {
    return schema;
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema as JsonSchema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, strictify(v)]),
      );
    } else if (key === 'default' || key === 'example' || key === 'enum') {
      out[key] = value;
    } else {
      out[key] = strictify(value);
    }
  }
  if (
    out.type === 'object' &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true &&
    out['x-kubernetes-embedded-resource'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

const OBJECT_META: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      maxLength: 253,
      pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
    },
    namespace: {
      type: 'string',
      maxLength: 63,
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
  additionalProperties: true,
};

function formatAjvError(error: ErrorObject): string {
  const where =
    error.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${
          (error.params as { additionalProperty: string }).additionalProperty
        })`
      : '';
  return `${where}: ${error.message}${extra}`;
}

function toResult(validate: ValidateFunction, object: unknown) {
  const valid = validate(object) as boolean;
  return {
    valid,
    errors: valid ? [] : (validate.errors ?? []).map(formatAjvError),
  };
}

function loadCrd(dir: string, file: string) {
  const full = path.join(dir, file);
  const crd = parseYaml(fs.readFileSync(full, 'utf8'));
  const versions: Array<{
    name: string;
    served?: boolean;
    storage?: boolean;
    schema?: { openAPIV3Schema?: JsonSchema };
  }> = crd?.spec?.versions ?? [];
  const version = versions.find(v => v.storage) ?? versions[0];
  const schema = version?.schema?.openAPIV3Schema;
  if (!schema) {
    throw new Error(`${full} holds no openAPIV3Schema`);
  }
  const strict = strictify(schema) as JsonSchema;
  const properties = { ...(strict.properties as JsonSchema) };
  properties.metadata = OBJECT_META;
  properties.apiVersion = {
    type: 'string',
    const: `${crd.spec.group}/${version.name}`,
  };
  properties.kind = { type: 'string', const: crd.spec.names.kind };
  return {
    apiVersion: `${crd.spec.group}/${version.name}`,
    schema: {
      ...strict,
      properties,
      required: ['apiVersion', 'kind', 'metadata'],
    },
  };
}

const cache = new Map<string, KamajiCrdSchemas>();

/**
 * Loads the Kamaji CRDs (TenantControlPlane, DataStore) from `dir` (default
 * {@link kamajiCrdDir}) and compiles validators that reject unknown
 * fields. CEL rules (`x-kubernetes-validations`) are not evaluated. Throws a
 * clear error when the folder or a CRD is missing.
 *
 * @public
 */
export function loadKamajiCrdSchemas(dir?: string): KamajiCrdSchemas {
  const folder = kamajiCrdDir({ explicit: dir });
  const cached = cache.get(folder);
  if (cached) {
    return cached;
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) =>
      Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n),
  });
  const tcp = loadCrd(folder, KAMAJI_CRD_FILES.TenantControlPlane);
  const ds = loadCrd(folder, KAMAJI_CRD_FILES.DataStore);
  const validateTcp = ajv.compile(tcp.schema);
  const validateDs = ajv.compile(ds.schema);
  const schemas: KamajiCrdSchemas = {
    dir: folder,
    apiVersions: {
      TenantControlPlane: tcp.apiVersion,
      DataStore: ds.apiVersion,
    },
    validateTenantControlPlane: object => toResult(validateTcp, object),
    validateDataStore: object => toResult(validateDs, object),
    validate(object) {
      const kind = (object as { kind?: unknown } | null)?.kind;
      if (kind === 'TenantControlPlane') {
        return toResult(validateTcp, object);
      }
      if (kind === 'DataStore') {
        return toResult(validateDs, object);
      }
      return { valid: false, errors: [`kind: not a Kamaji kind (${kind})`] };
    },
  };
  cache.set(folder, schemas);
  return schemas;
}
