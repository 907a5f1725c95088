import { useEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  MAX_SLUG_LENGTH,
  suggestTenantSlug,
} from '@prontuario/plugin-hospital-tenants-common';
import { checkSlugFormat, findTenantsUsingSlug } from '../../lib/slug';
import { validatorTranslation } from '../../lib/validatorTranslation';
import { hospitalTenantsTranslationRef } from '../../translation';

/**
 * Options of the slug field (`ui:options`).
 *
 * @public
 */
export interface TenantSlugFieldOptions {
  /** The form field the slug is derived from. Default: `displayName`. */
  sourceField?: string;
}

/** The name templates use: `ui:field: HospitalTenantSlug`. @public */
export const TENANT_SLUG_FIELD_NAME = 'HospitalTenantSlug';

/** How long to wait after the last keystroke before asking the catalog. */
export const AVAILABILITY_DEBOUNCE_MS = 300;

type Availability =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'available' }
  | { state: 'taken'; refs: string[] }
  | { state: 'unknown'; error: string };

/**
 * The tenant ID field: derived from the hospital name as the user types
 * (until the user edits it), format checked on every keystroke, and its
 * availability checked against the catalog.
 *
 * @public
 */
export const TenantSlugField = (
  props: FieldExtensionComponentProps<string, TenantSlugFieldOptions>,
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
  } = props;
  const { t } = useTranslationRef(hospitalTenantsTranslationRef);
  const catalogApi = useApi(catalogApiRef);

  const sourceField = uiSchema?.['ui:options']?.sourceField ?? 'displayName';
  const source = (
    formContext?.formData as Record<string, unknown> | undefined
  )?.[sourceField];
  const suggestion =
    typeof source === 'string' ? suggestTenantSlug(source) : '';

  // Follow the hospital name while the slug is empty or still the previous
  // suggestion; once the user edits it, leave it alone.
  // (undefined until the first suggestion is applied, at mount)
  const lastSuggestion = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (lastSuggestion.current === suggestion) return;
    const previous = lastSuggestion.current ?? suggestion;
    lastSuggestion.current = suggestion;
    const following = !formData || formData === previous;
    if (following && formData !== (suggestion || undefined)) {
      onChange((suggestion || undefined) as string);
    }
  }, [suggestion, formData, onChange]);

  const problem = checkSlugFormat(formData);
  const [availability, setAvailability] = useState<Availability>({
    state: 'idle',
  });
  useEffect(() => {
    if (!formData || checkSlugFormat(formData)) {
      setAvailability({ state: 'idle' });
      return undefined;
    }
    let cancelled = false;
    setAvailability({ state: 'checking' });
    const timer = setTimeout(() => {
      findTenantsUsingSlug(catalogApi, formData).then(
        refs => {
          if (!cancelled) {
            setAvailability(
              refs.length > 0
                ? { state: 'taken', refs }
                : { state: 'available' },
            );
          }
        },
        error => {
          if (!cancelled) {
            setAvailability({
              state: 'unknown',
              error: error instanceof Error ? error.message : String(error),
            });
          }
        },
      );
    }, AVAILABILITY_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [formData, catalogApi]);

  let helperText: string;
  if (formData && problem) {
    helperText = t(`slugField.${problem}`, { max: String(MAX_SLUG_LENGTH) });
  } else if (availability.state === 'checking') {
    helperText = t('slugField.checking');
  } else if (availability.state === 'available') {
    helperText = t('slugField.available');
  } else if (availability.state === 'taken') {
    helperText = t('slugField.taken', { refs: availability.refs.join(', ') });
  } else if (availability.state === 'unknown') {
    helperText = t('slugField.unknown', { error: availability.error });
  } else {
    helperText = t('slugField.help', { max: String(MAX_SLUG_LENGTH) });
  }
  const isError =
    (!!formData && !!problem) ||
    availability.state === 'taken' ||
    (rawErrors?.length ?? 0) > 0;

  return (
    <Box marginY={1}>
      <TextField
        id={idSchema?.$id}
        label={t('slugField.title')}
        value={formData ?? ''}
        onChange={e => onChange(e.target.value)}
        required={required}
        disabled={disabled}
        error={isError}
        helperText={
          <span
            data-testid="tenant-slug-status"
            data-state={problem && formData ? 'invalid' : availability.state}
          >
            {helperText}
          </span>
        }
        inputProps={{ maxLength: 100, spellCheck: false, autoComplete: 'off' }}
        fullWidth
        margin="normal"
        variant="outlined"
      />
      {suggestion && formData !== suggestion && (
        <Button size="small" onClick={() => onChange(suggestion)}>
          {t('slugField.useSuggestion', { suggestion })}
        </Button>
      )}
    </Box>
  );
};

/**
 * Validation on "Next": the format, then availability in the catalog (a
 * failed lookup does not block: the provisioning action checks again).
 *
 * @public
 */
export const tenantSlugValidation: CustomFieldValidator<
  string,
  TenantSlugFieldOptions
> = async (value, validation, { apiHolder }) => {
  const t = validatorTranslation(apiHolder);
  const problem = checkSlugFormat(value);
  if (problem) {
    validation.addError(t(`slugField.${problem}`, { max: MAX_SLUG_LENGTH }));
    return;
  }
  const catalogApi = apiHolder.get(catalogApiRef);
  if (!catalogApi) {
    return;
  }
  try {
    const refs = await findTenantsUsingSlug(catalogApi, value);
    if (refs.length > 0) {
      validation.addError(t('slugField.taken', { refs: refs.join(', ') }));
    }
  } catch {
    // The catalog could not answer: the provisioning action has the final word.
  }
};
