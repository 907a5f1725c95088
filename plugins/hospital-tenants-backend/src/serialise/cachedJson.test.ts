import express from 'express';
import request from 'supertest';
import { cachedJson, jsonWith, sendJson } from './cachedJson';

describe('cachedJson', () => {
  it('serialises a value object once and keeps the result for that object', () => {
    const value = { a: 1, nested: { b: [1, 'two', null] } };
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      expect(cachedJson(value)).toBe(JSON.stringify(value));
      stringify.mockClear();
      expect(cachedJson(value)).toBe('{"a":1,"nested":{"b":[1,"two",null]}}');
      expect(stringify).not.toHaveBeenCalled();
      // another object (a refreshed value) is serialised on its own
      expect(cachedJson({ a: 2 })).toBe('{"a":2}');
    } finally {
      stringify.mockRestore();
    }
  });
});

describe('jsonWith', () => {
  const cases: Array<[string, object, Record<string, unknown>]> = [
    [
      'appends fields',
      { tenantId: 't', score: { percent: 90 } },
      { asOf: '2026-11-30T07:00:00.000Z', stale: false },
    ],
    ['an empty object', {}, { asOf: 'x', stale: true }],
    ['null and numbers', { a: null }, { ageSeconds: null, n: 3.5 }],
    ['undefined is left out', { a: 1 }, { gone: undefined, kept: 'y' }],
    ['only undefined', { a: 1 }, { gone: undefined }],
    ['no extra fields', { a: 1 }, {}],
    [
      'a key present in the value is replaced in place',
      { asOf: 'old', a: 1, stale: true },
      { asOf: 'new', stale: false },
    ],
    ['strings needing escapes', { 'k"ey': 'v\n"' }, { 'e"x': 'ã\u2028' }],
    ['nested objects in extra', { a: 1 }, { meta: { deep: [1, { x: null }] } }],
  ];
  it.each(cases)(
    'is JSON.stringify({ ...value, ...extra }): %s',
    (_, value, extra) => {
      expect(jsonWith(value, extra)).toBe(
        JSON.stringify({ ...value, ...extra }),
      );
      // and again, from the cached serialisation of the value
      expect(jsonWith(value, extra)).toBe(
        JSON.stringify({ ...value, ...extra }),
      );
      expect(JSON.parse(jsonWith(value, extra))).toEqual(
        JSON.parse(JSON.stringify({ ...value, ...extra })),
      );
    },
  );

  it('serialises an object with toJSON whole', () => {
    const value = { a: 1, toJSON: () => ({ replaced: true }) };
    expect(jsonWith(value, { b: 2 })).toBe(JSON.stringify({ ...value, b: 2 }));
  });
});

describe('sendJson', () => {
  function app(validateResponses: boolean) {
    const a = express();
    a.get('/', (_req, res) => {
      res.set('Cache-Control', 'private, no-store');
      sendJson(
        res,
        validateResponses,
        () => ({ a: 1, asOf: 'x' }),
        () => jsonWith({ a: 1 }, { asOf: 'x' }),
      );
    });
    a.get('/json', (_req, res) => {
      res.set('Cache-Control', 'private, no-store');
      res.json({ a: 1, asOf: 'x' });
    });
    return a;
  }

  it.each([false, true])(
    'answers exactly as res.json would (validateResponses %s)',
    async validateResponses => {
      const a = app(validateResponses);
      const sent = await request(a).get('/');
      const json = await request(a).get('/json');
      expect(sent.status).toBe(200);
      expect(sent.text).toBe(json.text);
      for (const header of [
        'content-type',
        'content-length',
        'etag',
        'cache-control',
      ]) {
        expect(sent.headers[header]).toBe(json.headers[header]);
      }
      expect(sent.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      expect(sent.headers.etag).toBeTruthy();
    },
  );
});
