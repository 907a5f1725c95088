/*
 * CEL as kube-apiserver evaluates it, with @bufbuild/cel (Buf's CEL for
 * ECMAScript, run against the cel-spec conformance suite): the expressions
 * are the CRDs' own `x-kubernetes-validations` and the
 * ValidatingAdmissionPolicies' own `variables`/`matchConditions`/
 * `validations`, parsed and type-checked when they are loaded, never
 * translated by hand.
 *
 * The standard macros (`has`, `all`, `exists`, `exists_one`, `map`,
 * `filter`), `size`, ternaries, the string functions (`startsWith`,
 * `substring`, ... from the strings extension, which Kubernetes enables) are
 * the library's. Kubernetes' network library functions the rules use are
 * registered here: `isIP(string)` and `isCIDR(string)`.
 */
import { isIP as netIsIP } from 'node:net';
import {
  CelScalar,
  celEnv,
  celFunc,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  parse,
  plan,
} from '@bufbuild/cel';
import type { CelEnv, CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

type Obj = Record<string, any>;

/** An IP address as Kubernetes' `ip()` accepts it: no zone, no IPv4-mapped IPv6. */
function ipFamily(value: unknown): 0 | 4 | 6 {
  if (typeof value !== 'string' || value.includes('%')) return 0;
  const family = netIsIP(value);
  if (family === 6 && /^::ffff:/i.test(value) && value.includes('.')) return 0;
  return family as 0 | 4 | 6;
}

/** Kubernetes' CEL `isIP(string)`. */
export function isIP(value: unknown): boolean {
  return ipFamily(value) !== 0;
}

/** Kubernetes' CEL `isCIDR(string)`: an IP prefix (`<ip>/<bits>`). */
export function isCIDR(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [ip, bits, ...rest] = value.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d{1,3}$/.test(bits))
    return false;
  const family = ipFamily(ip);
  if (family === 0) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** Kubernetes' CEL library functions the simulator supports. */
const KUBERNETES_FUNCS = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, s => isIP(s)),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, s => isCIDR(s)),
];

/**
 * JSON as CEL sees it through a structural schema: whole numbers are CEL
 * `int`s (BigInt), everything else maps one to one (objects are maps).
 */
export function toCelValue(value: unknown): CelInput {
  // a CEL value already (a policy variable evaluated before) stays as is
  if (isCelMap(value) || isCelList(value) || isCelUint(value))
    return value as CelInput;
  if (typeof value === 'number' && Number.isInteger(value))
    return BigInt(value);
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCelValue(v);
    return out as CelInput;
  }
  return value as CelInput;
}

/** A CEL evaluation error (a missing key, a bad overload, ...). */
export class CelEvaluationError extends Error {}

/** A compiled CEL expression. */
export interface CelProgram {
  readonly expression: string;
  /** whether it references the variable (e.g. `oldSelf` for a transition rule) */
  references(variable: string): boolean;
  /** evaluates with the variables (JSON); throws CelEvaluationError */
  evaluate(variables: Record<string, unknown>): unknown;
}

function environmentFor(variables: string[]): CelEnv {
  return celEnv({
    variables: Object.fromEntries(variables.map(v => [v, CelScalar.DYN])),
    funcs: [...strings, ...KUBERNETES_FUNCS],
  });
}

const CRD_ENV = environmentFor(['self', 'oldSelf']);
const POLICY_ENV = environmentFor([
  'object',
  'oldObject',
  'request',
  'params',
  'namespaceObject',
  'variables',
]);

const AUTHENTICATION_ENV = environmentFor(['claims']);

/** Compiles a structured authentication configuration rule (`claims`). */
export function compileClaimRule(expression: string): CelProgram {
  return compile(AUTHENTICATION_ENV, expression);
}

/** The identifiers and the functions an expression uses (walks the parsed AST). */
function namesOf(
  node: unknown,
  into = { identifiers: new Set<string>(), functions: new Set<string>() },
) {
  if (Array.isArray(node)) {
    for (const n of node) namesOf(n, into);
  } else if (node && typeof node === 'object') {
    const kind = (node as { exprKind?: { case?: string; value?: any } })
      .exprKind;
    if (kind?.case === 'identExpr') into.identifiers.add(kind.value.name);
    if (kind?.case === 'callExpr') into.functions.add(kind.value.function);
    for (const value of Object.values(node))
      if (value && typeof value === 'object') namesOf(value, into);
  }
  return into;
}

/** Operators (`_==_`, `_[_]`, `!_`, `@in`, ...) are the library's own. */
const isOperator = (name: string) => /^[_!@]/.test(name);

function compile(env: CelEnv, expression: string): CelProgram {
  const parsed = parse(expression);
  const { identifiers, functions } = namesOf(parsed.expr);
  // an unknown function fails at load, as in the API server's compiler
  for (const name of functions) {
    if (!isOperator(name) && !env.funcs.find(name))
      throw new Error(`undeclared reference to '${name}'`);
  }
  const run = plan(env, parsed);
  return {
    expression,
    references: variable => identifiers.has(variable),
    evaluate: variables => {
      const bindings: Record<string, CelInput> = {};
      for (const [k, v] of Object.entries(variables))
        bindings[k] = toCelValue(v);
      const result = run(bindings);
      if (isCelError(result)) throw new CelEvaluationError(result.message);
      return result;
    },
  };
}

/** Compiles a CRD validation rule (`self`, `oldSelf`); throws on a syntax or type error. */
export function compileCrdRule(expression: string): CelProgram {
  return compile(CRD_ENV, expression);
}

/** Compiles a ValidatingAdmissionPolicy expression (`object`, `oldObject`, `request`, `params`, ...). */
export function compilePolicyExpression(expression: string): CelProgram {
  return compile(POLICY_ENV, expression);
}

/** An error's message the way cel-go words it ("no such key: x"). */
export function celErrorMessage(error: unknown): string {
  const message = String((error as Error)?.message ?? error).split('\n')[0];
  return message.replace(/^field not found: /, 'no such key: ');
}
