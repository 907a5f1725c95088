import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  HOSPITAL_TENANT_TYPE,
  tenantReadPermission,
} from '@prontuario/plugin-hospital-tenants-common';
import { Readable } from 'node:stream';
import {
  HospitalTenantDocument,
  toHospitalTenantDocument,
} from './HospitalTenantDocument';
import { HospitalTenantSource } from './TenantApiSource';

/**
 * Collates one `hospital-tenant` document per tenant, streamed page by page
 * from a {@link HospitalTenantSource}. Each document carries its tenant's
 * entity ref, so search shows it only to callers allowed
 * `hospital-tenants.tenant.read` on that tenant.
 *
 * @public
 */
export class HospitalTenantCollatorFactory implements DocumentCollatorFactory {
  readonly type = HOSPITAL_TENANT_TYPE;
  readonly visibilityPermission = tenantReadPermission;
  readonly #source: HospitalTenantSource;

  static fromSource(source: HospitalTenantSource) {
    return new HospitalTenantCollatorFactory(source);
  }

  private constructor(source: HospitalTenantSource) {
    this.#source = source;
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  async *execute(): AsyncGenerator<HospitalTenantDocument> {
    for await (const page of this.#source.pages()) {
      for (const facts of page) {
        yield toHospitalTenantDocument(facts);
      }
    }
  }
}
