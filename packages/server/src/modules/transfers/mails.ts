import type { Locale } from '@amtsbote/contracts';
import { codeMail, linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

/**
 * Tells a recipient that a transfer waits for them. Names the sender, the authority and the
 * expiry; never the subject, the text or a file name, because a mail travels unprotected.
 */
export function transferNotificationMail(
  to: string,
  lang: Locale,
  p: { senderName: string; tenantName: string; expiresAt: Date; link: string; level: number },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.transferNotification;
  return {
    to: [to],
    ...linkMail(lang, {
      subject: t.subject(p.tenantName),
      greeting: m.greeting,
      lines: [
        t.sent(p.senderName, p.tenantName),
        p.level >= 2 ? t.openWithCode : t.openWithLink,
        t.availableUntil(p.expiresAt),
      ],
      link: p.link,
      linkLabel: t.linkLabel,
      footer: t.footer,
    }),
  };
}

/** Tells the sender that a recipient downloaded for the first time. */
export function firstDownloadMail(
  to: string,
  lang: Locale,
  p: { recipient: string; tenantName: string; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.firstDownload.subject,
      greeting: m.greeting,
      lines: m.firstDownload.lines(p.recipient),
      link: p.link,
      linkLabel: m.firstDownload.linkLabel,
      footer: m.footerNoContentFrom(p.tenantName),
    }),
  };
}

/** Tells a staff member that a reply arrived in their postbox. */
export function replyArrivedMail(
  to: string,
  lang: Locale,
  p: { from: string; tenantName: string; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.replyArrived.subject,
      greeting: m.greeting,
      lines: m.replyArrived.lines(p.from),
      link: p.link,
      linkLabel: m.replyArrived.linkLabel,
      footer: m.footerNoContentFrom(p.tenantName),
    }),
  };
}

/** The one-time code that proves a recipient controls the address (level 2). */
export function verificationCodeMail(
  to: string,
  lang: Locale,
  p: { code: string; tenantName: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...codeMail(lang, {
      subject: m.code.subject(p.tenantName),
      greeting: m.greeting,
      intro: m.verificationCode.intro(p.tenantName),
      code: p.code,
      notes: [m.code.validity, m.code.notYou],
    }),
  };
}
