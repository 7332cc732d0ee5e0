import type { Locale } from '@amtsbote/contracts';
import { linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

/** The invitation of a new staff member: the link sets their password (7 days, once). */
export function invitationMail(
  to: string,
  lang: Locale,
  tenantName: string,
  inviter: string,
  link: string,
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.staffInvitation.subject(tenantName),
      greeting: m.greeting,
      lines: m.staffInvitation.lines(tenantName, inviter),
      link,
      linkLabel: m.staffInvitation.linkLabel,
      footer: m.staffInvitation.footer,
    }),
  };
}
