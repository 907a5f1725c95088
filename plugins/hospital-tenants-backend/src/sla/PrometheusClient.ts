import {
  InputError,
  NotAllowedError,
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UpstreamPolicy } from '../upstream/resilience';

/** One series of an instant query: its labels and value (`NaN`, `±Infinity` kept as numbers). */
export interface InstantSample {
  metric: Record<string, string>;
  value: number;
}

/** One series of a range query. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

/** Where Prometheus is and how to authenticate (a token, or a token file re-read on each call: GMP rotates it). */
export interface PrometheusConnection {
  baseUrl: string;
  token?: string;
  tokenFile?: string;
}

const sampleValue = z
  .string()
  .refine(
    v => v === 'NaN' || /^[+-]?Inf$/.test(v) || Number.isFinite(Number(v)),
  )
  .transform(v => {
    if (v === '+Inf' || v === 'Inf') return Infinity;
    if (v === '-Inf') return -Infinity;
    return v === 'NaN' ? NaN : Number(v);
  });
const labels = z.record(z.string(), z.string());
const point = z.tuple([z.number(), sampleValue]);

const envelope = z.object({
  status: z.enum(['success', 'error']),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
});
const vectorData = z.object({
  resultType: z.literal('vector'),
  result: z.array(z.object({ metric: labels, value: point })),
});
const scalarData = z.object({
  resultType: z.literal('scalar'),
  result: point,
});
const matrixData = z.object({
  resultType: z.literal('matrix'),
  result: z.array(z.object({ metric: labels, values: z.array(point) })),
});

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * A small client of the Prometheus HTTP API (`/api/v1/query`,
 * `/api/v1/query_range`), every call through the plugin's resilience
 * policy. Always evaluates at an explicit time. Prometheus' errors come out
 * as `@backstage/errors`: `bad_data` (400) and `execution` (422) as
 * `InputError` (the query is wrong: not retried, not counted by the
 * breaker), 401/403 as authentication errors, `timeout` (503) and every
 * other failure as `ServiceUnavailableError`.
 */
export class PrometheusClient {
  readonly #connection: PrometheusConnection;
  readonly #policy: UpstreamPolicy;

  constructor(connection: PrometheusConnection, policy: UpstreamPolicy) {
    this.#connection = connection;
    this.#policy = policy;
  }

  /** An instant query at `time`; a scalar comes back as one sample without labels. */
  async query(query: string, time: Date): Promise<InstantSample[]> {
    const data = await this.#call('query', {
      query,
      time: String(time.getTime() / 1000),
    });
    const scalar = scalarData.safeParse(data);
    if (scalar.success) {
      return [{ metric: {}, value: scalar.data.result[1] }];
    }
    const vector = vectorData.safeParse(data);
    if (!vector.success) {
      throw new ServiceUnavailableError(
        'Prometheus answered an instant query with something other than a vector or scalar',
      );
    }
    return vector.data.result.map(r => ({
      metric: r.metric,
      value: r.value[1],
    }));
  }

  /** A range query from `start` to `end` at `stepSeconds`. */
  async queryRange(
    query: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<RangeSeries[]> {
    const data = await this.#call('query_range', {
      query,
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: String(stepSeconds),
    });
    const matrix = matrixData.safeParse(data);
    if (!matrix.success) {
      throw new ServiceUnavailableError(
        'Prometheus answered a range query with something other than a matrix',
      );
    }
    return matrix.data.result.map(r => ({
      metric: r.metric,
      values: r.values.map(([t, v]) => [t, v] as [number, number]),
    }));
  }

  async #headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    let token = this.#connection.token;
    if (this.#connection.tokenFile) {
      token = (await readFile(this.#connection.tokenFile, 'utf8')).trim();
    }
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  async #call(
    endpoint: 'query' | 'query_range',
    params: Record<string, string>,
  ): Promise<unknown> {
    const url = `${this.#connection.baseUrl.replace(
      /\/+$/,
      '',
    )}/api/v1/${endpoint}`;
    return this.#policy.execute(async signal => {
      const response = await fetch(url, {
        method: 'POST',
        headers: await this.#headers(),
        body: new URLSearchParams(params).toString(),
        signal,
      });
      const text = await readLimited(response);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ServiceUnavailableError(
          `Prometheus answered HTTP ${response.status} without a JSON body`,
        );
      }
      const body = envelope.safeParse(json);
      if (!body.success) {
        throw new ServiceUnavailableError(
          `Prometheus answered HTTP ${response.status} with an unexpected body`,
        );
      }
      if (response.status === 401) {
        throw new AuthenticationError('Prometheus refused the credentials');
      }
      if (response.status === 403) {
        throw new NotAllowedError('Prometheus refused access');
      }
      if (body.data.status === 'error' || !response.ok) {
        const what = `${body.data.errorType ?? 'error'}: ${
          body.data.error ?? `HTTP ${response.status}`
        }`;
        if (
          body.data.errorType === 'bad_data' ||
          body.data.errorType === 'execution'
        ) {
          throw new InputError(`Prometheus refused the query (${what})`);
        }
        throw new ServiceUnavailableError(`Prometheus failed (${what})`);
      }
      return body.data.data;
    });
  }
}

async function readLimited(response: Response): Promise<string> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw new ServiceUnavailableError('Prometheus answered a body too large');
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ServiceUnavailableError('Prometheus answered a body too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
