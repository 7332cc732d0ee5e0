import type { Locale } from '../locale.ts';
import type { Messages } from './de.ts';
import { de } from './de.ts';
import { en } from './en.ts';

export type { Messages } from './de.ts';

const catalogue: Record<Locale, Messages> = { de, en };

/** All UI strings of one language. */
export function messages(locale: Locale): Messages {
  return catalogue[locale];
}

/**
 * A calendar date (`2026-03-01`) the way people write it in that language ("1. März 2026"). A
 * value that is not a date is returned as it is: tenant settings are free text.
 */
export function formatDate(value: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (m === null) return value;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(catalogue[locale].meta.dateLocale, {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(date);
}
