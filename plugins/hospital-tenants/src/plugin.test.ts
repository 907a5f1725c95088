import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import plugin from './index';
import * as legacy from './legacy';

describe('hospital-tenants plugin (new frontend system)', () => {
  it.each([
    ['slug', 'HospitalTenantSlug'],
    ['config-picker', 'HospitalTenantConfigPicker'],
    ['external-apis', 'HospitalTenantExternalApis'],
    ['review', 'HospitalTenantReview'],
  ])(
    'provides scaffolder-form-field:hospital-tenants/%s as ui:field %s',
    async (name, fieldName) => {
      const extension = plugin.getExtension(
        `scaffolder-form-field:hospital-tenants/${name}` as any,
      );
      const loader = createExtensionTester(extension as any).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ) as unknown as () => Promise<unknown>;
      const field = (await loader()) as any;
      expect(field.$$type).toBe('@backstage/scaffolder/FormField');
      expect(field.name).toBe(fieldName);
      expect(typeof field.component).toBe('function');
    },
  );

  it('has the hospital-tenants id', () => {
    expect(plugin.pluginId).toBe('hospital-tenants');
  });
});

describe('legacy exports', () => {
  it('provide the same four field extensions under the legacy plugin', () => {
    expect(legacy.hospitalTenantsPlugin.getId()).toBe('hospital-tenants');
    for (const ext of [
      legacy.HospitalTenantSlugFieldExtension,
      legacy.HospitalTenantConfigPickerFieldExtension,
      legacy.HospitalTenantExternalApisFieldExtension,
      legacy.HospitalTenantReviewFieldExtension,
    ]) {
      expect(typeof ext).toBe('function');
    }
  });
});
