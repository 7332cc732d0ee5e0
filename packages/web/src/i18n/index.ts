import type { Locale } from '@amtsbote/contracts';
import type { Messages } from './de.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import type { MailMessages } from './mails.de.ts';
import { mailsDe } from './mails.de.ts';
import { mailsEn } from './mails.en.ts';
import type { NoticeKey, NoticeMessages } from './notices.de.ts';
import { noticeKinds, noticesDe } from './notices.de.ts';
import { noticesEn } from './notices.en.ts';

export type { Messages } from './de.ts';
export type { MailMessages } from './mails.de.ts';
export type { NoticeKey, NoticeKind, NoticeMessages } from './notices.de.ts';
export { noticeKinds } from './notices.de.ts';

const catalogue: Record<Locale, Messages> = { de, en };
const mailCatalogue: Record<Locale, MailMessages> = { de: mailsDe, en: mailsEn };
const noticeCatalogue: Record<Locale, NoticeMessages> = { de: noticesDe, en: noticesEn };

/** All UI strings of one language. */
export function messages(locale: Locale): Messages {
  return catalogue[locale];
}

/** The words of the notification mails in one language (the server adds link and addressee). */
export function mailMessages(locale: Locale): MailMessages {
  return mailCatalogue[locale];
}

/** The texts of the notices after redirect-after-POST in one language. */
export function noticeMessages(locale: Locale): NoticeMessages {
  return noticeCatalogue[locale];
}

/**
 * Whether a string from a URL is one of the known notice keys. Own keys only: `constructor` or
 * `__proto__` must not reach the prototype.
 */
export function isNoticeKey(key: string): key is NoticeKey {
  return Object.hasOwn(noticeKinds, key);
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
