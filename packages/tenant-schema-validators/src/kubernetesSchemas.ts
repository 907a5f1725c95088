import { SchemaValidationResult } from './kamajiSchemas';

type ModelClass = new (data: unknown) => { validate(): void };
type ModelModule = Record<string, ModelClass>;

/**
 * The kubernetes-models 5.x entry points for the built-in groups the plan
 * and the cluster simulator use.
 */
const GROUP_MODULES: Record<string, string> = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1':
    'kubernetes-models/rbac.authorization.k8s.io/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
};

const modules = new Map<string, ModelModule>();

// A real dynamic import that no CommonJS transform rewrites into require().
// eslint-disable-next-line no-new-func
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<ModelModule>;

async function loadModule(specifier: string): Promise<ModelModule> {
  const cached = modules.get(specifier);
  if (cached) {
    return cached;
  }
  let loaded: ModelModule;
  try {
    // Works where the `import` export condition is resolvable by require:
    // jest with this package's jestResolver.js.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(specifier);
  } catch {
    // kubernetes-models 5 is ESM-only; Node.js loads it natively.
    loaded = await nativeImport(specifier);
  }
  modules.set(specifier, loaded);
  return loaded;
}

function formatModelError(error: unknown): string[] {
  const details = (error as { errors?: unknown[] })?.errors;
  if (Array.isArray(details) && details.length > 0) {
    return details.map(detail => {
      const { instancePath, message, params } = detail as {
        instancePath?: string;
        message?: string;
        params?: Record<string, unknown>;
      };
      const where =
        (instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || '(root)';
      const extra = params?.additionalProperty
        ? ` (${String(params.additionalProperty)})`
        : '';
      return `${where}: ${message}${extra}`;
    });
  }
  return [String((error as Error)?.message ?? error)];
}

/**
 * Validates a built-in Kubernetes object (Namespace, ResourceQuota,
 * LimitRange, NetworkPolicy, Role, RoleBinding, ...) against the OpenAPI
 * schema shipped in kubernetes-models 5.x.
 *
 * In jest, kubernetes-models (ESM-only) must be resolvable by `require`: the
 * calling package's `jest.resolver` names this package's `jestResolver.js`.
 *
 * @public
 */
export async function validateKubernetesObject(
  object: unknown,
): Promise<SchemaValidationResult> {
  const { apiVersion, kind } = (object ?? {}) as {
    apiVersion?: string;
    kind?: string;
  };
  const specifier = apiVersion ? GROUP_MODULES[apiVersion] : undefined;
  if (!specifier || !kind) {
    return {
      valid: false,
      errors: [`apiVersion/kind: no schema for ${apiVersion} ${kind}`],
    };
  }
  const mod = await loadModule(specifier);
  const Model = mod[kind];
  if (typeof Model !== 'function') {
    return {
      valid: false,
      errors: [`kind: ${kind} is not a kind of ${apiVersion}`],
    };
  }
  try {
    new Model(object).validate();
    return { valid: true, errors: [] };
  } catch (error) {
    return { valid: false, errors: formatModelError(error) };
  }
}
