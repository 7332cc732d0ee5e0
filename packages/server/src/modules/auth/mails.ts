import type { Locale } from '@amtsbote/contracts';
import { linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

/** The staff sign-in link (15 minutes, once). */
export function loginLinkMail(to: string, lang: Locale, tenantName: string, link: string): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.loginLink.subject(tenantName),
      greeting: m.greeting,
      lines: m.loginLink.lines(tenantName),
      link,
      linkLabel: m.loginLink.linkLabel,
      footer: m.loginLink.footer,
    }),
  };
}
