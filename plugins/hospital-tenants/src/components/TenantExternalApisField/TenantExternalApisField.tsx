import { useEffect, useMemo, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { checkApprovedExternalCidr } from '@prontuario/plugin-hospital-tenants-common';
import { useTenantFormConfig } from '../../lib/useTenantFormConfig';
import {
  validatorTranslation,
  ValidatorT,
} from '../../lib/validatorTranslation';
import { hospitalTenantsTranslationRef } from '../../translation';

/** The name templates use: `ui:field: HospitalTenantExternalApis`. @public */
export const TENANT_EXTERNAL_APIS_FIELD_NAME = 'HospitalTenantExternalApis';

const toLines = (text: string) =>
  text
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '');

/**
 * Problems with a list of approved external API CIDRs that the browser can
 * see: malformed or non-public ranges and duplicates (the action also
 * checks platform and worker ranges, which the browser is not given).
 */
export function externalApiProblems(cidrs: string[], t: ValidatorT): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  cidrs.forEach((cidr, index) => {
    const problem = checkApprovedExternalCidr(cidr);
    if (problem) {
      problems.push(t('externalApis.invalid', { line: index + 1, problem }));
    } else if (seen.has(cidr)) {
      problems.push(t('externalApis.duplicate', { line: index + 1, cidr }));
    }
    seen.add(cidr);
  });
  return problems;
}

/**
 * The approved external APIs: one public IPv4 CIDR per line, prefilled with
 * the platform defaults from configuration, checked as the user types.
 *
 * @public
 */
export const TenantExternalApisField = (
  props: FieldExtensionComponentProps<string[]>,
) => {
  const { formData, onChange, rawErrors, disabled, idSchema } = props;
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const { config } = useTenantFormConfig();
  const defaults = useMemo(
    () => config?.approvedExternalApis.defaultCidrs ?? [],
    [config],
  );
  // The form starts the list empty (RJSF's array default); an empty list
  // when the field appears means "not chosen yet": prefill the defaults.
  const prefill = !formData || formData.length === 0;
  const [text, setText] = useState(() =>
    (prefill ? defaults : formData).join('\n'),
  );

  // Until the user edits the list, an empty list takes the defaults.
  const edited = useRef(false);
  useEffect(() => {
    if (config && prefill && !edited.current && defaults.length > 0) {
      onChange(defaults);
    }
  }, [config, prefill, defaults, onChange]);

  const problems = externalApiProblems(toLines(text), (key, options) =>
    t(key as any, options as any),
  );
  return (
    <Box marginY={1}>
      <TextField
        id={idSchema?.$id}
        label={t('externalApis.title')}
        value={text}
        onChange={e => {
          edited.current = true;
          setText(e.target.value);
          onChange(toLines(e.target.value));
        }}
        multiline
        minRows={2}
        disabled={disabled}
        error={problems.length > 0 || (rawErrors?.length ?? 0) > 0}
        helperText={
          problems.length > 0 ? problems.join('; ') : t('externalApis.help')
        }
        fullWidth
        margin="normal"
        variant="outlined"
        inputProps={{ spellCheck: false }}
      />
      <Button
        size="small"
        disabled={disabled}
        onClick={() => {
          setText(defaults.join('\n'));
          onChange(defaults);
        }}
      >
        {t('externalApis.resetToDefaults')}
      </Button>
    </Box>
  );
};

/**
 * Validation on "Next": every line a public IPv4 network CIDR, no duplicates.
 *
 * @public
 */
export const tenantExternalApisValidation: CustomFieldValidator<string[]> = (
  value,
  validation,
  { apiHolder },
) => {
  for (const problem of externalApiProblems(
    value ?? [],
    validatorTranslation(apiHolder),
  )) {
    validation.addError(problem);
  }
};
