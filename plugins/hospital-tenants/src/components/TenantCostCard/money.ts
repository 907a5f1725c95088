/**
 * Money in BRL for the user's language: `R$ 35.000,00` in pt-BR,
 * `R$35,000.00` in English (Intl's own spacing; pt-BR uses a no-break space).
 *
 * @public
 */
export function formatBrl(value: number, language: string): string {
  const locale = language.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en-US';
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'BRL',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
}

/** A number with at most one decimal for the user's language: `97,8` in pt-BR, `97.8` in English. */
export function formatDecimal(value: number, language: string): string {
  const locale = language.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en-US';
  return value.toLocaleString(locale, { maximumFractionDigits: 1 });
}

/** A percentage for the user's language: `97,8 %` in pt-BR, `97.8 %` in English. */
export function formatPercent(value: number, language: string): string {
  return `${formatDecimal(value, language)} %`;
}
