import type { Locale } from '@amtsbote/contracts';
import { linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

// Notification mails about organisations. They name the organisation and what happened, never a
// message's content, and lead to the portal, where the rest is shown after signing in.

export function organisationInvitationMail(
  to: string,
  lang: Locale,
  p: { organisation: string; inviter: string; tenantName: string; link: string; days: number },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.organisationInvitation;
  return {
    to: [to],
    ...linkMail(lang, {
      subject: t.subject(p.organisation),
      greeting: m.greeting,
      lines: t.lines(p.inviter, p.tenantName, p.organisation, p.days),
      link: p.link,
      linkLabel: t.linkLabel,
      footer: t.footer,
    }),
  };
}

export function invitationAcceptedMail(
  to: string,
  lang: Locale,
  p: { organisation: string; who: string; tenantName: string; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.invitationAccepted.subject(p.organisation),
      greeting: m.greeting,
      lines: m.invitationAccepted.lines(p.who, p.organisation),
      link: p.link,
      linkLabel: m.invitationAccepted.linkLabel,
      footer: m.footerNoContentFrom(p.tenantName),
    }),
  };
}

export function accessGrantedMail(
  to: string,
  lang: Locale,
  p: { organisation: string; tenantName: string; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.accessGranted.subject(p.organisation),
      greeting: m.greeting,
      lines: m.accessGranted.lines(p.organisation),
      link: p.link,
      linkLabel: m.accessGranted.linkLabel,
      footer: m.footerNoContentFrom(p.tenantName),
    }),
  };
}

/** A new message or notice in the postbox, to the organisation's contact address. */
export function postboxNotificationMail(
  to: string,
  lang: Locale,
  p: { organisation: string; tenantName: string; link: string; what: 'message' | 'notice' },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.postboxNotification;
  const message = p.what === 'message';
  return {
    to: [to],
    ...linkMail(lang, {
      subject: message ? t.subjectMessage(p.organisation) : t.subjectNotice(p.organisation),
      greeting: m.greeting,
      lines: [message ? t.message(p.organisation, p.tenantName) : t.notice(p.organisation), t.whoCanRead],
      link: p.link,
      linkLabel: t.linkLabel,
      footer: m.footerNoContentFrom(p.tenantName),
    }),
  };
}
