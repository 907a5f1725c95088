import { useEffect, useMemo } from 'react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  configApiRef,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  defaultKubernetesVersion,
  readTenantFormConfig,
  TenantFormConfig,
} from '../../lib/tenantFormConfig';
import { useTenantFormConfig } from '../../lib/useTenantFormConfig';
import { validatorTranslation } from '../../lib/validatorTranslation';
import { hospitalTenantsTranslationRef } from '../../translation';

/**
 * Options of the configuration picker (`ui:options`).
 *
 * @public
 */
export interface TenantConfigPickerOptions {
  /** What to offer from the `hospitalTenants` configuration. Default: `region`. */
  source?: 'region' | 'environment' | 'kubernetesVersion';
  /** For `environment`: the form field holding the region. Default: `region`. */
  regionField?: string;
}

/** The name templates use: `ui:field: HospitalTenantConfigPicker`. @public */
export const TENANT_CONFIG_PICKER_FIELD_NAME = 'HospitalTenantConfigPicker';

/** One choice offered by the picker. */
export interface PickerOption {
  value: string;
  label: string;
}

/**
 * The choices the configuration offers for a picker, given the form so far,
 * and the value to preselect (a single choice, or the configured default).
 */
export function pickerOptions(
  config: TenantFormConfig,
  uiOptions: TenantConfigPickerOptions | undefined,
  formData: Record<string, unknown> | undefined,
): { choices: PickerOption[]; preselect?: string; needsRegion?: boolean } {
  const options = { source: 'region', ...uiOptions };
  if (options.source === 'region') {
    const choices = Object.entries(config.regions).map(([name, region]) => ({
      value: name,
      label: region.displayName ? `${region.displayName} (${name})` : name,
    }));
    return {
      choices,
      preselect: choices.length === 1 ? choices[0].value : undefined,
    };
  }
  if (options.source === 'environment') {
    const region = formData?.[options.regionField ?? 'region'];
    if (typeof region !== 'string' || !Object.hasOwn(config.regions, region)) {
      return { choices: [], needsRegion: true };
    }
    const choices = Object.keys(config.regions[region].environments).map(
      name => ({ value: name, label: name }),
    );
    return {
      choices,
      preselect: choices.length === 1 ? choices[0].value : undefined,
    };
  }
  return {
    choices: config.kubernetesVersions.supported.map(v => ({
      value: v,
      label: v,
    })),
    preselect: defaultKubernetesVersion(config),
  };
}

/**
 * A select whose choices come from the `hospitalTenants` configuration:
 * regions, the chosen region's environments, or the supported Kubernetes
 * versions (preselecting the configured default).
 *
 * @public
 */
export const TenantConfigPickerField = (
  props: FieldExtensionComponentProps<string, TenantConfigPickerOptions>,
) => {
  const {
    formData,
    onChange,
    uiSchema,
    formContext,
    rawErrors,
    required,
    disabled,
    idSchema,
    schema,
  } = props;
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const { config, error } = useTenantFormConfig();
  const options = {
    source: 'region' as const,
    ...uiSchema?.['ui:options'],
  };
  const allFormData = formContext?.formData as
    | Record<string, unknown>
    | undefined;
  const { source } = options;
  const regionField = options.regionField ?? 'region';
  // Only the region matters among the other fields.
  const regionValue = allFormData?.[regionField];
  const { choices, preselect, needsRegion } = useMemo(
    () =>
      config
        ? pickerOptions(
            config,
            { source, regionField },
            { [regionField]: regionValue },
          )
        : { choices: [], preselect: undefined, needsRegion: false },
    [config, source, regionField, regionValue],
  );

  // Converges: a value the configuration no longer offers (another region
  // was chosen) is replaced by the preselection, or cleared; an empty value
  // takes the preselection. Once the value is offered, nothing changes.
  useEffect(() => {
    const offered = choices.some(c => c.value === formData);
    if (formData && !offered && config) {
      onChange(preselect as string);
    } else if (!formData && preselect) {
      onChange(preselect);
    }
  }, [choices, preselect, formData, config, onChange]);

  if (!config) {
    return (
      <Typography color="error" role="alert">
        {error === 'notConfigured'
          ? t('notConfigured')
          : t('configError', { error })}
      </Typography>
    );
  }

  const defaultVersion =
    options.source === 'kubernetesVersion'
      ? defaultKubernetesVersion(config)
      : undefined;
  return (
    <TextField
      id={idSchema?.$id}
      select
      label={schema?.title ?? t(`configPicker.${options.source}.title`)}
      value={formData ?? ''}
      onChange={e => onChange(e.target.value)}
      required={required}
      disabled={disabled || needsRegion}
      error={(rawErrors?.length ?? 0) > 0}
      helperText={
        needsRegion
          ? t('configPicker.chooseRegionFirst')
          : t(`configPicker.${options.source}.help`)
      }
      fullWidth
      margin="normal"
      variant="outlined"
    >
      {choices.map(choice => (
        <MenuItem key={choice.value} value={choice.value}>
          {choice.value === defaultVersion
            ? `${choice.label} ${t('configPicker.defaultSuffix')}`
            : choice.label}
        </MenuItem>
      ))}
    </TextField>
  );
};

/**
 * Validation on "Next": the value must be one the configuration offers.
 *
 * @public
 */
export const tenantConfigPickerValidation: CustomFieldValidator<
  string,
  TenantConfigPickerOptions
> = (value, validation, { apiHolder, formData, uiSchema }) => {
  const t = validatorTranslation(apiHolder);
  if (!value) {
    validation.addError(t('configPicker.required'));
    return;
  }
  const configApi = apiHolder.get(configApiRef);
  const config = configApi ? readTenantFormConfig(configApi) : undefined;
  if (!config) {
    validation.addError(t('notConfigured'));
    return;
  }
  const { choices } = pickerOptions(config, uiSchema?.['ui:options'], formData);
  if (!choices.some(c => c.value === value)) {
    validation.addError(t('configPicker.notOffered', { value }));
  }
};
