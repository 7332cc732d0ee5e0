import type { Locale } from '@amtsbote/contracts';
import { linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

/**
 * To the person a caseworker asks for documents: the upload link. Like every notification it
 * names who asks and until when, never the note or what the documents are about.
 */
export function uploadRequestMail(
  to: string,
  lang: Locale,
  p: {
    department: string;
    tenantName: string;
    requester: string;
    link: string;
    expiresAt: Date;
    level: number;
  },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.uploadRequest;
  return {
    to: [to],
    ...linkMail(lang, {
      subject: t.subject(p.tenantName),
      greeting: m.greeting,
      lines: [
        t.asks(p.requester, p.department, p.tenantName),
        t.howTo,
        ...(p.level >= 2 ? [t.confirmFirst] : []),
        t.validUntil(p.expiresAt),
      ],
      link: p.link,
      linkLabel: t.linkLabel,
      footer: t.footer,
    }),
  };
}
