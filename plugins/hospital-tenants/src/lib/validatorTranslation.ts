import { ApiHolder, translationApiRef } from '@backstage/frontend-plugin-api';
import {
  hospitalTenantsEnglishMessages,
  hospitalTenantsTranslationRef,
} from '../translation';

type Messages = (typeof hospitalTenantsTranslationRef)['T'];
type Key = keyof Messages & string;

/** A translation function for validators: `t(key, { name: value })`. */
export type ValidatorT = (
  key: Key,
  options?: Record<string, string | number>,
) => string;

function english(key: Key, options?: Record<string, string | number>) {
  const message = key
    .split('.')
    .reduce<unknown>(
      (node, part) => (node as Record<string, unknown>)?.[part],
      hospitalTenantsEnglishMessages,
    );
  return String(message ?? key).replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) =>
    String(options?.[name] ?? ''),
  );
}

/**
 * The translation function for form validators, which run outside React:
 * the app's translation API when its resources are loaded (the field has
 * rendered), else the English messages.
 */
export function validatorTranslation(apiHolder: ApiHolder): ValidatorT {
  const snapshot = apiHolder
    .get(translationApiRef)
    ?.getTranslation(hospitalTenantsTranslationRef);
  if (snapshot?.ready) {
    const t = snapshot.t as unknown as ValidatorT;
    return (key, options) => t(key, options);
  }
  return english;
}
