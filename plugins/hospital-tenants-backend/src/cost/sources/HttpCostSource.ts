import { isError, ServiceUnavailableError } from '@backstage/errors';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { UpstreamPolicy } from '../../upstream/resilience';
import {
  AllocationDay,
  AllocationQuery,
  CostSource,
  SavingsRecommendation,
} from './types';
import { normaliseAllocation, upstreamError } from './wire';

/** Options of a Kubecost or OpenCost client. */
export interface HttpCostSourceOptions {
  /** Kubecost's frontend (`…:9090`, paths under `/model`) or OpenCost's API (`…:9003`) */
  baseUrl: string;
  timeZone: string;
  policy: UpstreamPolicy;
  /** extra headers, e.g. Kubecost's `X-API-KEY` (never logged) */
  headers?: Record<string, string>;
  /** bodies larger than this are refused (default 20 MB) */
  maxBodyBytes?: number;
}

const configsSchema = z
  .object({
    code: z.number().optional(),
    message: z.string().optional(),
    data: z.object({ currencyCode: z.string().optional() }).loose().nullable(),
  })
  .loose();

const recommendationSchema = z
  .object({
    namespace: z.string().optional(),
    controllerName: z.string().optional(),
    containerName: z.string().optional(),
    monthlySavings: z
      .object({ total: z.number().nullable().optional() })
      .loose()
      .optional(),
  })
  .loose();

/** 2.x: a bare object with `Recommendations`; older: a bare array. */
const savingsSchema = z.union([
  z.array(recommendationSchema),
  z
    .object({ Recommendations: z.array(recommendationSchema).nullable() })
    .loose(),
]);

abstract class HttpCostSource implements CostSource {
  abstract readonly product: 'kubecost' | 'opencost';
  readonly baseUrl: string;
  protected readonly timeZone: string;
  readonly #policy: UpstreamPolicy;
  readonly #headers: Record<string, string>;
  readonly #maxBodyBytes: number;

  constructor(options: HttpCostSourceOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeZone = options.timeZone;
    this.#policy = options.policy;
    this.#headers = options.headers ?? {};
    this.#maxBodyBytes = options.maxBodyBytes ?? 20_000_000;
  }

  protected get where(): string {
    return `${this.product === 'kubecost' ? 'Kubecost' : 'OpenCost'} at ${
      this.baseUrl
    }`;
  }

  /** GET of a JSON body under the resilience policy. */
  protected get(
    path: string,
    params: Record<string, string>,
  ): Promise<unknown> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(params)}`;
    return this.#policy.execute(async signal => {
      let response: Response;
      try {
        response = await fetch(url, {
          signal,
          headers: { accept: 'application/json', ...this.#headers },
        });
      } catch (error) {
        throw new ServiceUnavailableError(
          `${this.where} is unreachable: ${
            isError(error) ? error.message : error
          }`,
        );
      }
      if (!response.ok) throw await upstreamError(response, this.where);
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > this.#maxBodyBytes) {
        throw new ServiceUnavailableError(
          `${this.where} answered too large a body`,
        );
      }
      const text = await response.text();
      if (text.length > this.#maxBodyBytes) {
        throw new ServiceUnavailableError(
          `${this.where} answered too large a body`,
        );
      }
      try {
        return JSON.parse(text);
      } catch {
        throw new ServiceUnavailableError(
          `${this.where} answered malformed JSON`,
        );
      }
    });
  }

  /** `<RFC3339>,<RFC3339>` of the zone's midnights. */
  protected window(query: AllocationQuery): string {
    const at = (day: string) =>
      DateTime.fromISO(day, { zone: this.timeZone })
        .startOf('day')
        .toUTC()
        .toISO({ suppressMilliseconds: true });
    return `${at(query.from)},${at(query.to)}`;
  }

  abstract allocation(query: AllocationQuery): Promise<AllocationDay[]>;
  abstract savings(
    filter: string,
  ): Promise<SavingsRecommendation[] | undefined>;
  protected abstract configsPath: string;

  async currency(): Promise<string> {
    const parsed = configsSchema.safeParse(
      await this.get(this.configsPath, {}),
    );
    const code = parsed.success ? parsed.data.data?.currencyCode : undefined;
    if (!code) {
      throw new ServiceUnavailableError(
        `${this.where} did not say which currency it is configured with`,
      );
    }
    return code.toUpperCase();
  }

  protected normalise(
    body: unknown,
    aggregate: string,
  ): ReturnType<typeof normaliseAllocation> {
    return normaliseAllocation(body, aggregate, this.timeZone, this.where);
  }
}

/**
 * Kubecost 2.x: `/model/allocation` (ETL daily sets unless accumulated, idle
 * with `idle`, reconciled adjustments), `/model/savings/requestSizingV2`,
 * currency from `/model/getConfigs`.
 */
export class KubecostSource extends HttpCostSource {
  readonly product = 'kubecost' as const;
  protected configsPath = '/model/getConfigs';

  async allocation(query: AllocationQuery): Promise<AllocationDay[]> {
    const body = await this.get('/model/allocation', {
      window: this.window(query),
      aggregate: query.aggregate,
      accumulate: 'false',
      idle: String(query.includeIdle),
      shareIdle: 'false',
      external: 'false',
      ...(query.filter && { filter: query.filter }),
    });
    return this.normalise(body, query.aggregate);
  }

  async savings(filter: string): Promise<SavingsRecommendation[]> {
    const body = await this.get('/model/savings/requestSizingV2', {
      window: '7d',
      filter,
      sortBy: 'totalSavings',
    });
    const parsed = savingsSchema.safeParse(body);
    if (!parsed.success) {
      throw new ServiceUnavailableError(
        `${this.where} answered a savings body this plugin does not understand`,
      );
    }
    const list = Array.isArray(parsed.data)
      ? parsed.data
      : parsed.data.Recommendations ?? [];
    return list.map(r => ({
      namespace: r.namespace ?? '',
      controller: r.controllerName ?? '',
      container: r.containerName ?? '',
      monthlySavings: r.monthlySavings?.total ?? 0,
    }));
  }
}

/**
 * OpenCost: `/allocation/compute` (one set per `step`, idle only with
 * `includeIdle`, NaN as `null`, bare label keys), currency from
 * `/getConfigs`. No savings.
 */
export class OpenCostSource extends HttpCostSource {
  readonly product = 'opencost' as const;
  protected configsPath = '/getConfigs';

  async allocation(query: AllocationQuery): Promise<AllocationDay[]> {
    const body = await this.get('/allocation/compute', {
      window: this.window(query),
      aggregate: query.aggregate,
      step: '1d',
      accumulate: 'false',
      includeIdle: String(query.includeIdle),
      shareIdle: 'false',
      ...(query.filter && { filter: query.filter }),
    });
    return this.normalise(body, query.aggregate);
  }

  async savings(): Promise<undefined> {
    return undefined;
  }
}
