import express from 'express';

/**
 * The JSON of cached values, serialised once per value object. Cached values
 * (the upstream cache's entries, the cost service's memoised payloads) are
 * never mutated: a new read or refresh yields a new object, so keying by the
 * object's identity can never serve an outdated serialisation, and an
 * entry's JSON goes with it when the entry is evicted.
 */
const serialised = new WeakMap<object, string>();

/** `JSON.stringify(value)`, computed once per (never mutated) value object. */
export function cachedJson(value: object): string {
  let json = serialised.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    serialised.set(value, json);
  }
  return json;
}

/**
 * Exactly `JSON.stringify({ ...value, ...extra })`, with `value` serialised
 * once (see {@link cachedJson}) and only the small per-response fields of
 * `extra` (`asOf`, `stale`, `ageSeconds`) serialised per call.
 */
export function jsonWith(
  value: object,
  extra: Record<string, unknown>,
): string {
  const keys = Object.keys(extra);
  if (
    Array.isArray(value) ||
    'toJSON' in value ||
    keys.some(key => Object.prototype.hasOwnProperty.call(value, key))
  ) {
    // not a plain extension of the cached object: serialise it whole
    return JSON.stringify({ ...value, ...extra });
  }
  let tail = '';
  for (const key of keys) {
    const json = JSON.stringify(extra[key]);
    // like JSON.stringify, a property without a JSON value is left out
    if (json !== undefined) tail += `,${JSON.stringify(key)}:${json}`;
  }
  const base = cachedJson(value);
  if (tail === '') return base;
  return base === '{}' ? `{${tail.slice(1)}}` : `${base.slice(0, -1)}${tail}}`;
}

/**
 * Sends a JSON body as `res.json` would (same bytes, `Content-Type`, ETag).
 * When responses are validated against the spec (tests), the object goes
 * through `res.json`, where the OpenAPI validator checks it.
 */
export function sendJson(
  res: express.Response,
  validateResponses: boolean,
  object: () => unknown,
  json: () => string,
): void {
  if (validateResponses) {
    res.json(object());
    return;
  }
  res.type('json').send(json());
}
