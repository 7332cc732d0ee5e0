import type { PageContext } from '@amtsbote/web';
import { isNoticeKey, noticeKinds, noticeMessages } from '@amtsbote/web';
import type { Locale } from '@amtsbote/contracts';

/**
 * The banner for `?notice=KEY` after redirect-after-POST. The URL carries a key, never text, and
 * only a key of the catalogue (packages/web/src/i18n/notices.de.ts) shows anything.
 */
export function flashFor(key: string, locale: Locale): PageContext['flash'] {
  if (!isNoticeKey(key)) return undefined;
  return { kind: noticeKinds[key], message: noticeMessages(locale)[key] };
}
