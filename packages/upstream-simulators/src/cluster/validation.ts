/*
 * Schema validation of every write: Kamaji's CRDs (OpenAPI v3 schema with
 * structural defaults, unknown fields and CEL rules) read from where
 * kamajiCrdDir() of @prontuario/tenant-schema-validators finds them, and
 * built-in kinds through kubernetes-models. The API server's own metadata
 * and semantic checks are in ./semantics.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { kamajiCrdDir } from '@prontuario/tenant-schema-validators';
import { CelProgram, celErrorMessage, compileCrdRule } from './cel';
import { formatFieldPath, jsonTypeOf } from './paths';
import type { StatusCause } from './status';
import type { KubeObject as Obj } from '../types';

/** Validates (and defaults) one kind of object. @public */
export interface ObjectValidator {
  /**
   * Returns the causes of invalidity (empty when valid) and the object with
   * schema defaults applied.
   */
  validate(
    obj: Obj,
    old: Obj | undefined,
  ): { causes: StatusCause[]; defaulted: Obj };
}

/**
 * Where the Kamaji CRDs are read from: the one resolver every package uses
 * (`explicit`, else KAMAJI_CRD_DIR, else ../shared/schemas/kamaji beside the
 * repository, else .kamaji-crds/ filled by scripts/kamaji-crds.sh).
 */
export function resolveKamajiCrdDir(explicit?: string): string {
  return kamajiCrdDir({ explicit });
}

function segmentsOf(instancePath: string) {
  return instancePath
    .split('/')
    .slice(1)
    .map(seg => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fieldOf(instancePath: string) {
  return formatFieldPath(segmentsOf(instancePath));
}

const show = (v: unknown) =>
  typeof v === 'string' ? `"${v}"` : JSON.stringify(v);

/** Maps an ajv error to the cause kube-apiserver reports for it. */
function causeOf(e: ErrorObject, obj: Obj): StatusCause {
  const field = fieldOf(e.instancePath);
  const value = segmentsOf(e.instancePath).reduce<any>(
    (v, seg) => (v === undefined ? v : v[seg]),
    obj,
  );
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as any).missingProperty;
      return {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: field ? `${field}.${missing}` : missing,
      };
    }
    case 'enum':
      return {
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${show(value)}: supported values: ${(
          e.params as any
        ).allowedValues
          .map(show)
          .join(', ')}`,
        field,
      };
    case 'type':
      return {
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: "${jsonTypeOf(
          value,
        )}": ${field} in body must be of type ${(e.params as any).type}: ${show(
          value,
        )}`,
        field,
      };
    default:
      return {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${field} in body ${e.message}`,
        field,
      };
  }
}

/** One `x-kubernetes-validations` entry, compiled, with where it applies. */
interface CelRuleAt {
  /** schema path of `self` (`*` for list items and map values) */
  path: string[];
  /** the schema's type at that path, as the API server names it in messages */
  type?: string;
  rule: string;
  program: CelProgram;
  message?: string;
  messageExpression?: CelProgram;
  fieldPath?: string;
  reason?: string;
  /** references oldSelf: runs on UPDATE only, when the old value exists */
  transition: boolean;
}

/** The API server's `ruleErrorString`: the message, else the rule. */
const ruleErrorString = (r: CelRuleAt) => (r.message ?? r.rule).trim();

/** The cause kube-apiserver reports for a failed rule, by its `reason`. */
function ruleCause(
  r: CelRuleAt,
  field: string,
  type: string,
  detail: string,
): StatusCause {
  switch (r.reason) {
    case 'FieldValueForbidden':
      return { reason: r.reason, message: `Forbidden: ${detail}`, field };
    case 'FieldValueRequired':
      return { reason: r.reason, message: `Required value: ${detail}`, field };
    case 'FieldValueDuplicate':
      return {
        reason: r.reason,
        message: `Duplicate value: "${type}"`,
        field,
      };
    default:
      return {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${type}": ${detail}`,
        field,
      };
  }
}

/** Validator for one CRD version's openAPIV3Schema. @public */
export class CrdSchemaValidator implements ObjectValidator {
  private readonly validateFn: ValidateFunction;
  private readonly rules: CelRuleAt[] = [];

  constructor(ajv: Ajv, private readonly schema: Obj) {
    this.validateFn = ajv.compile(schema);
    this.collectRules(schema, []);
  }

  /** The schema's CEL rules, each with the path of its `self`. */
  get celRules(): Array<{ path: string; rule: string }> {
    return this.rules.map(r => ({ path: r.path.join('.'), rule: r.rule }));
  }

  /** Compiles every rule of the schema; a rule that does not compile fails the load, as it fails the CRD's creation. */
  private collectRules(schema: Obj, p: string[]) {
    for (const v of schema['x-kubernetes-validations'] ?? []) {
      const where = p.join('.') || '<root>';
      const compileAt = (expression: string) => {
        try {
          return compileCrdRule(expression);
        } catch (error) {
          throw new Error(
            `The CEL rule ${JSON.stringify(
              expression,
            )} at ${where} does not compile: ${celErrorMessage(error)}`,
          );
        }
      };
      if (v.optionalOldSelf) {
        // oldSelf would be a CEL optional, which the CEL library lacks:
        // refuse the CRD rather than evaluate the rule differently
        throw new Error(
          `The CEL rule ${JSON.stringify(
            v.rule,
          )} at ${where} sets optionalOldSelf, which the simulator does not support`,
        );
      }
      const program = compileAt(v.rule);
      this.rules.push({
        path: p,
        type: schema.type,
        rule: v.rule,
        program,
        message: v.message,
        messageExpression: v.messageExpression
          ? compileAt(v.messageExpression)
          : undefined,
        fieldPath: v.fieldPath,
        reason: v.reason,
        transition: program.references('oldSelf'),
      });
    }
    for (const [k, child] of Object.entries<Obj>(schema.properties ?? {}))
      this.collectRules(child, [...p, k]);
    if (schema.items) this.collectRules(schema.items, [...p, '*']);
    if (typeof schema.additionalProperties === 'object')
      this.collectRules(schema.additionalProperties, [...p, '*']);
  }

  validate(obj: Obj, old: Obj | undefined) {
    const defaulted = structuredClone(obj);
    const causes: StatusCause[] = [];
    if (!this.validateFn(defaulted)) {
      for (const e of this.validateFn.errors ?? [])
        causes.push(causeOf(e, obj));
    }
    causes.push(...unknownFields(this.schema, obj, []));
    if (causes.length === 0) causes.push(...this.checkRules(defaulted, old));
    return { causes, defaulted };
  }

  /**
   * Evaluates every rule where its `self` exists. A transition rule (one
   * that reads `oldSelf`) runs only on UPDATE where the old value exists;
   * list items and map values are not correlated with old ones here, so
   * their transition rules are skipped, as for new items.
   */
  private checkRules(obj: Obj, old: Obj | undefined): StatusCause[] {
    const causes: StatusCause[] = [];
    const expand = (
      value: any,
      oldValue: any,
      p: string[],
      done: string[],
      fn: (v: any, o: any, at: string[]) => void,
    ) => {
      if (value === undefined) return;
      if (p.length === 0) {
        fn(value, oldValue, done);
        return;
      }
      const [head, ...rest] = p;
      if (head === '*') {
        const entries = Array.isArray(value)
          ? value.map((v, i) => [String(i), v] as const)
          : Object.entries(value ?? {});
        for (const [k, v] of entries)
          expand(v, undefined, rest, [...done, k], fn);
      } else {
        expand(value?.[head], oldValue?.[head], rest, [...done, head], fn);
      }
    };
    for (const r of this.rules) {
      expand(obj, old, r.path, [], (v, o, at) => {
        const cause = this.checkRule(r, v, o, formatFieldPath(at));
        if (cause) causes.push(cause);
      });
    }
    return causes;
  }

  private checkRule(
    r: CelRuleAt,
    self: unknown,
    oldSelf: unknown,
    at: string,
  ): StatusCause | undefined {
    const variables: Record<string, unknown> = { self };
    if (r.transition) {
      if (oldSelf === undefined) return undefined;
      variables.oldSelf = oldSelf;
    }
    const type = r.type ?? jsonTypeOf(self);
    let result: unknown;
    try {
      result = r.program.evaluate(variables);
    } catch (error) {
      return ruleCause(
        { ...r, reason: undefined },
        at,
        type,
        `${celErrorMessage(error)} evaluating rule: ${ruleErrorString(r)}`,
      );
    }
    if (result === true) return undefined;
    const field = at + (r.fieldPath ?? '');
    let detail = r.message?.trim() || `failed rule: ${r.rule.trim()}`;
    if (r.messageExpression) {
      try {
        const text = r.messageExpression.evaluate(variables);
        if (typeof text === 'string' && text.trim() && !text.includes('\n'))
          detail = text.trim();
      } catch {
        // the API server falls back to the message, as here
      }
    }
    return ruleCause(r, field, type, detail);
  }
}

function unknownFields(schema: Obj, value: any, p: string[]): StatusCause[] {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(value)) {
    return schema.items
      ? value.flatMap((v, i) =>
          unknownFields(schema.items, v, [...p, String(i)]),
        )
      : [];
  }
  if (p.length === 1 && p[0] === 'metadata') return [];
  const out: StatusCause[] = [];
  const props: Obj | undefined = schema.properties;
  for (const [k, v] of Object.entries(value)) {
    if (
      p.length === 0 &&
      (k === 'apiVersion' || k === 'kind' || k === 'metadata')
    ) {
      continue;
    }
    if (props && k in props) out.push(...unknownFields(props[k], v, [...p, k]));
    else if (typeof schema.additionalProperties === 'object')
      out.push(...unknownFields(schema.additionalProperties, v, [...p, k]));
    else if (props || schema.additionalProperties === false) {
      const field = formatFieldPath([...p, k]);
      out.push({
        reason: 'FieldValueInvalid',
        message: 'field not declared in schema',
        field,
      });
    }
  }
  return out;
}

/** Loads every CRD in a folder: `{ "<group>/<version>/<Kind>": validator }`. @public */
export function loadCrdValidators(
  dir: string,
): Map<string, CrdSchemaValidator> {
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'byte', 'quantity', 'int-or-string'])
    ajv.addFormat(f, true);
  const out = new Map<string, CrdSchemaValidator>();
  for (const file of fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()) {
    for (const doc of parseAllDocuments(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    )) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions) {
        if (!v.served) continue;
        out.set(
          `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`,
          new CrdSchemaValidator(ajv, v.schema.openAPIV3Schema),
        );
      }
    }
  }
  return out;
}

/** Built-in kinds through kubernetes-models' generated validators. @public */
export class KubernetesModelsValidator implements ObjectValidator {
  private readonly validateFn: (data: unknown) => void;
  constructor(apiVersion: string, kind: string) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${apiVersion}`);
    const Model = mod[kind];
    if (!Model)
      throw new Error(`kubernetes-models has no ${apiVersion} ${kind}`);
    this.validateFn = (data: unknown) => new Model(data).validate();
  }

  validate(obj: Obj) {
    try {
      this.validateFn(obj);
      return { causes: [], defaulted: structuredClone(obj) };
    } catch (e: any) {
      const errors: ErrorObject[] = e?.errors ?? [];
      if (errors.length === 0) throw e;
      // kubernetes-models reports every branch of anyOf/oneOf; keep one per path
      const seen = new Set<string>();
      const causes = errors
        .filter(err => !['anyOf', 'oneOf'].includes(err.keyword))
        .map(err => causeOf(err, obj))
        .filter(c => (seen.has(c.field!) ? false : (seen.add(c.field!), true)));
      return { causes, defaulted: structuredClone(obj) };
    }
  }
}
