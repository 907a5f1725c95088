import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  isTenantId,
  TenantIsolation,
  tenantIsolationSchema,
  TenantList,
  tenantListSchema,
  TenantStatus,
  tenantStatusSchema,
  SLA_REPORT_PERIOD_PATTERN,
  TenantSla,
  tenantSlaSchema,
  SLA_HISTORY_MAX_MONTHS,
  TenantSlaHistory,
  tenantSlaHistorySchema,
} from '@prontuario/plugin-hospital-tenants-common';
import { z } from 'zod';
import { HospitalTenantsApi } from './HospitalTenantsApi';

/**
 * Calls the `hospital-tenants` backend through `fetchApi` (which adds the
 * user's token) and validates every answer with the `-common` parsers.
 *
 * @public
 */
export class HospitalTenantsClient implements HospitalTenantsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async listTenants(
    options: { limit?: number; cursor?: string } = {},
  ): Promise<TenantList> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor !== undefined) query.set('cursor', options.cursor);
    const suffix = query.size ? `?${query}` : '';
    return this.#get(`/tenants${suffix}`, tenantListSchema);
  }

  async getTenantStatus(tenantId: string): Promise<TenantStatus> {
    return this.#get(
      `/tenants/${this.#id(tenantId)}/status`,
      tenantStatusSchema,
    );
  }

  async getTenantIsolation(tenantId: string): Promise<TenantIsolation> {
    return this.#get(
      `/tenants/${this.#id(tenantId)}/isolation`,
      tenantIsolationSchema,
    );
  }

  #id(tenantId: string): string {
    if (!isTenantId(tenantId)) {
      throw new InputError(`"${tenantId}" is not a tenant id`);
    }
    return encodeURIComponent(tenantId);
  }

  async getTenantSla(tenantId: string): Promise<TenantSla> {
    return this.#get(`/tenants/${this.#id(tenantId)}/sla`, tenantSlaSchema);
  }

  async getTenantSlaHistory(
    tenantId: string,
    months?: number,
  ): Promise<TenantSlaHistory> {
    let suffix = '';
    if (months !== undefined) {
      if (
        !Number.isInteger(months) ||
        months < 1 ||
        months > SLA_HISTORY_MAX_MONTHS
      ) {
        throw new InputError(
          `months must be a whole number from 1 to ${SLA_HISTORY_MAX_MONTHS}`,
        );
      }
      suffix = `?months=${months}`;
    }
    return this.#get(
      `/tenants/${this.#id(tenantId)}/sla/history${suffix}`,
      tenantSlaHistorySchema,
    );
  }

  async getTenantSlaReportHtml(
    tenantId: string,
    period: string,
  ): Promise<string> {
    if (!SLA_REPORT_PERIOD_PATTERN.test(period)) {
      throw new InputError(`"${period}" is not a month (YYYY-MM)`);
    }
    const base = await this.#discoveryApi.getBaseUrl('hospital-tenants');
    const response = await this.#fetchApi.fetch(
      `${base}/tenants/${this.#id(tenantId)}/sla/report?period=${period}`,
      { headers: { accept: 'text/html' } },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.text();
  }

  async #get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const base = await this.#discoveryApi.getBaseUrl('hospital-tenants');
    const response = await this.#fetchApi.fetch(`${base}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      throw new Error(
        `The tenant API answered ${path} with an unexpected payload: ${parsed.error.message}`,
      );
    }
    return parsed.data;
  }
}
