/** The languages the portal speaks. German is the default: the authorities are German. */
export type Locale = 'de' | 'en';

/** Every supported language, in the order the language switch lists them. */
export const locales: readonly Locale[] = ['de', 'en'];

/** The language when nothing else decides. */
export const defaultLocale: Locale = 'de';

/** Whether a string names a supported language, by its primary subtag (`en-GB` counts as `en`). */
export function toLocale(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined;
  // Limit 1: the primary subtag only, without splitting all of a long hostile value into pieces.
  const primary = value.trim().toLowerCase().split(/[-_]/, 1)[0];
  return locales.find((l) => l === primary);
}

/**
 * Picks the language of a response. An explicit choice wins over a remembered one, and both
 * win over the browser's guess:
 * 1. `?lang=` in the URL (the language switch),
 * 2. the session's or tenant's preference,
 * 3. the Accept-Language header (highest q-value among supported languages),
 * 4. German.
 * Unsupported values at any step (`?lang=fr`) are skipped, not errors. `preferred` is a
 * {@link Locale} or any stored string.
 */
export function negotiateLocale(
  queryLang: string | undefined,
  preferred: string | undefined,
  acceptLanguage: string | undefined,
): Locale {
  return toLocale(queryLang) ?? toLocale(preferred) ?? fromAcceptLanguage(acceptLanguage) ?? defaultLocale;
}

/** The best supported language in an Accept-Language header, or undefined. */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (header === undefined || header.length > 1000) return undefined;
  let best: { locale: Locale; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.split(';');
    const locale = toLocale(tag);
    if (locale === undefined) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m?.[1] !== undefined) q = Number(m[1]);
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    // Ties keep the earlier entry: the order in the header is the browser's preference.
    if (best === undefined || q > best.q) best = { locale, q };
  }
  return best?.locale;
}
