import type { Locale } from '@amtsbote/contracts';
import { linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

/** Before a service account is deleted for inactivity: signing in keeps it. */
export function accountInactivityWarningMail(
  to: string,
  lang: Locale,
  p: { tenantName: string; lastActive: Date; dueAt: Date; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.accountInactivity.subject(p.tenantName),
      greeting: m.greeting,
      lines: m.accountInactivity.lines(p.tenantName, p.lastActive, p.dueAt),
      link: p.link,
      linkLabel: m.accountInactivity.linkLabel,
      footer: m.accountInactivity.footer,
    }),
  };
}

/** Before an organisation account is deleted for inactivity: the link stops the deletion. */
export function organisationDeletionAnnouncementMail(
  to: string,
  lang: Locale,
  p: { tenantName: string; organisation: string; dueAt: Date; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.organisationDeletion.subject(p.organisation),
      greeting: m.greeting,
      lines: m.organisationDeletion.lines(p.organisation, p.tenantName, p.dueAt),
      link: p.link,
      linkLabel: m.organisationDeletion.linkLabel,
      footer: m.organisationDeletion.footer,
    }),
  };
}
