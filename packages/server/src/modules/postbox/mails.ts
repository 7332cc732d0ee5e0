import type { Locale } from '@amtsbote/contracts';
import { linkMail, mailMessages, textMail } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

// Mails about what comes in. Like every notification: no subject, text, file name or key, only
// who, where and until when — a mail travels unprotected.

/** To the department's staff: something arrived in the postbox. */
export function inboundArrivedMail(
  to: string,
  lang: Locale,
  p: { department: string; tenantName: string; kind: 'dropoff' | 'upload'; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.inboundArrived;
  return {
    to: [to],
    ...linkMail(lang, {
      subject: t.subject(p.department),
      greeting: m.greeting,
      lines: [p.kind === 'dropoff' ? t.dropoff(p.department) : t.upload(p.department)],
      link: p.link,
      linkLabel: t.linkLabel,
      footer: m.footerNoContentFrom(p.tenantName),
    }),
  };
}

/** To the sender: it arrived; how long it stays. */
export function inboundReceivedMail(
  to: string,
  lang: Locale,
  p: { department: string; tenantName: string; number: string; expiresAt: Date; notify: boolean },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.inboundReceived;
  return {
    to: [to],
    ...textMail(lang, t.subject(p.tenantName), [
      m.greeting,
      '',
      t.arrived(p.department, p.tenantName),
      t.number(p.number),
      t.keptUntil(p.expiresAt),
      p.notify ? t.willNotify : '',
      '',
      t.footer,
    ]),
  };
}

/** To the sender: a caseworker opened it for the first time (when the sender asked for this). */
export function inboundRetrievedMail(
  to: string,
  lang: Locale,
  p: { department: string; tenantName: string; number: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...textMail(lang, m.inboundRetrieved.subject, [
      m.greeting,
      '',
      m.inboundRetrieved.retrieved(p.number, p.department, p.tenantName),
      '',
      m.footerNoContent,
    ]),
  };
}

/** To the sender: a file was blocked (malware found, or it could not be checked). */
export function quarantineGuestMail(
  to: string,
  lang: Locale,
  p: { department: string; tenantName: string; number: string; reason: 'infected' | 'failed' },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.quarantineGuest;
  return {
    to: [to],
    ...textMail(lang, t.subject, [
      m.greeting,
      '',
      p.reason === 'infected' ? t.infected(p.department, p.number) : t.failed(p.department, p.number),
      t.checkAndResend,
      '',
      m.footerNoContentFrom(p.tenantName),
    ]),
  };
}

/** To the department's staff: a file of an incoming transfer was blocked. */
export function quarantineStaffMail(
  to: string,
  lang: Locale,
  p: { department: string; tenantName: string; link: string; reason: 'infected' | 'failed' },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.quarantineStaff;
  return {
    to: [to],
    ...linkMail(lang, {
      subject: t.subject(p.department),
      greeting: m.greeting,
      lines: [p.reason === 'infected' ? t.infected(p.department) : t.failed(p.department)],
      link: p.link,
      linkLabel: t.linkLabel,
      footer: m.footerNoContentFrom(p.tenantName),
    }),
  };
}
