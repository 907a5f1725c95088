import { createApiRef } from '@backstage/core-plugin-api';
import type {
  TenantIsolation,
  TenantList,
  TenantSla,
  TenantSlaHistory,
  TenantStatus,
} from '@prontuario/plugin-hospital-tenants-common';

/**
 * The tenant API of the `hospital-tenants` backend, as the frontend sees it.
 *
 * @public
 */
export interface HospitalTenantsApi {
  /** The tenants the caller may see, one page. */
  listTenants(options?: {
    limit?: number;
    cursor?: string;
  }): Promise<TenantList>;
  /** A tenant's control plane as Kamaji reports it. */
  getTenantStatus(tenantId: string): Promise<TenantStatus>;
  /** A tenant's isolation checks and score. */
  getTenantIsolation(tenantId: string): Promise<TenantIsolation>;
  /** A tenant's SLA indicators and verdicts (`hospital-tenants.sla.read`). */
  getTenantSla?(tenantId: string): Promise<TenantSla>;
  /** A tenant's monthly SLA report as a printable HTML page (`period` YYYY-MM). */
  getTenantSlaReportHtml?(tenantId: string, period: string): Promise<string>;
  /** A tenant's SLA over the last `months` calendar months, the running one first. */
  getTenantSlaHistory?(
    tenantId: string,
    months?: number,
  ): Promise<TenantSlaHistory>;
}

/**
 * The {@link HospitalTenantsApi} (works in both frontend systems).
 *
 * @public
 */
export const hospitalTenantsApiRef = createApiRef<HospitalTenantsApi>({
  id: 'plugin.hospital-tenants.service',
});
