// Numbers, sizes, dates and durations the way people read them in each language. Shared by the
// pages (server) and the islands (browser): no Node or DOM APIs here, only Intl.
import type { Locale } from '@amtsbote/contracts';

/** Dates and times are shown in the authorities' own time zone, whatever the server's. */
export const TIME_ZONE = 'Europe/Berlin';

const intlLocale: Record<Locale, string> = { de: 'de-DE', en: 'en-GB' };

const UNITS = ['KB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * A size in bytes in human units: "512 Bytes", "1,5 MB", "20 GB". Steps of 1024, named as
 * everyday file managers name them (KB, MB, GB), so "20 GB" matches a 20 GiB limit.
 */
export function formatBytes(bytes: number, locale: Locale): string {
  if (!Number.isFinite(bytes) || bytes < 1024) {
    const n = Number.isFinite(bytes) ? Math.max(0, Math.round(bytes)) : 0;
    const word = locale === 'de' ? (n === 1 ? 'Byte' : 'Bytes') : n === 1 ? 'byte' : 'bytes';
    return `${new Intl.NumberFormat(intlLocale[locale]).format(n)} ${word}`;
  }
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  const text = new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: digits }).format(value);
  return `${text} ${UNITS[unit] ?? 'PB'}`;
}

/** A calendar date: "3. März 2026" / "3 March 2026" (Berlin time). */
export function formatDay(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: 'long', timeZone: TIME_ZONE }).format(date);
}

/** Date and time: "3. März 2026 um 14:05" / "3 March 2026 at 14:05" (Berlin time). */
export function formatDateTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(date);
}

/** Short date and time for tables: "03.03.2026, 14:05" / "3 Mar 2026, 14:05" (Berlin time). */
export function formatShortDateTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(date);
}

/** A whole number with the language's digit grouping. */
export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale]).format(n);
}

/** A share as a whole percentage (0–100), never 100 before it is complete. */
export function percentOf(done: number, total: number): number {
  if (total <= 0) return 100;
  if (done >= total) return 100;
  return Math.min(99, Math.floor((done / total) * 100));
}

/** A rough remaining time, rounded the way people say it: "about 3 minutes". */
export function formatDuration(seconds: number, locale: Locale): string {
  const s = Math.max(1, Math.round(seconds));
  const de = locale === 'de';
  if (s < 60)
    return de ? `${s} ${s === 1 ? 'Sekunde' : 'Sekunden'}` : `${s} ${s === 1 ? 'second' : 'seconds'}`;
  const m = Math.round(s / 60);
  if (m < 60) return de ? `${m} ${m === 1 ? 'Minute' : 'Minuten'}` : `${m} ${m === 1 ? 'minute' : 'minutes'}`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  const hours = de ? `${h} ${h === 1 ? 'Stunde' : 'Stunden'}` : `${h} ${h === 1 ? 'hour' : 'hours'}`;
  if (rest === 0) return hours;
  return de
    ? `${hours} ${rest} ${rest === 1 ? 'Minute' : 'Minuten'}`
    : `${hours} ${rest} ${rest === 1 ? 'minute' : 'minutes'}`;
}
