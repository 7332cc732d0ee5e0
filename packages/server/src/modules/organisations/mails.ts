import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import { linkMail } from '../auth/mails.ts';

type Lang = 'de' | 'en';

// Notification mails about organisations. They name the organisation and what happened, never a
// message's content, and lead to the portal, where the rest is shown after signing in.

export function organisationInvitationMail(
  to: string,
  lang: Lang,
  p: { organisation: string; inviter: string; tenantName: string; link: string; days: number },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Einladung zum Organisationskonto „${p.organisation}“`,
        greeting: 'Guten Tag,',
        lines: [
          `${p.inviter} lädt Sie ein, im Portal von ${p.tenantName} für „${p.organisation}“ tätig zu werden.`,
          'Melden Sie sich dafür mit Ihrem Servicekonto zu dieser E-Mail-Adresse an oder legen Sie eines an. Danach muss die Administration der Organisation Ihren Zugang noch bestätigen.',
          `Der Link gilt ${p.days} Tage:`,
        ],
        link: p.link,
        linkLabel: 'Einladung ansehen',
        footer: 'Wenn Sie diese Einladung nicht erwartet haben, können Sie diese Nachricht löschen.',
      })
    : linkMail(to, lang, {
        subject: `Invitation to the organisation account “${p.organisation}”`,
        greeting: 'Hello,',
        lines: [
          `${p.inviter} invites you to act for “${p.organisation}” on the portal of ${p.tenantName}.`,
          'Sign in with your service account for this e-mail address, or create one. The organisation’s administrators then still have to confirm your access.',
          `The link works for ${p.days} days:`,
        ],
        link: p.link,
        linkLabel: 'View invitation',
        footer: 'If you did not expect this invitation, you can delete this message.',
      });
}

export function invitationAcceptedMail(
  to: string,
  lang: Lang,
  p: { organisation: string; who: string; tenantName: string; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Bitte bestätigen: neuer Zugang zu „${p.organisation}“`,
        greeting: 'Guten Tag,',
        lines: [
          `${p.who} hat die Einladung zum Organisationskonto „${p.organisation}“ angenommen.`,
          'Bitte prüfen Sie, ob diese Person berechtigt ist, und bestätigen Sie den Zugang. Erst dann kann sie das Organisationskonto nutzen.',
        ],
        link: p.link,
        linkLabel: 'Mitglieder verwalten',
        footer: `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      })
    : linkMail(to, lang, {
        subject: `Please confirm: new access to “${p.organisation}”`,
        greeting: 'Hello,',
        lines: [
          `${p.who} has accepted the invitation to the organisation account “${p.organisation}”.`,
          'Please check that this person is entitled and confirm the access. Only then can they use the organisation account.',
        ],
        link: p.link,
        linkLabel: 'Manage members',
        footer: `${p.tenantName} – this e-mail contains no content.`,
      });
}

export function accessGrantedMail(
  to: string,
  lang: Lang,
  p: { organisation: string; tenantName: string; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Ihr Zugang zu „${p.organisation}“ ist bestätigt`,
        greeting: 'Guten Tag,',
        lines: [`Sie können jetzt im Namen von „${p.organisation}“ Nachrichten lesen und senden.`],
        link: p.link,
        linkLabel: 'Zum Organisationskonto',
        footer: `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      })
    : linkMail(to, lang, {
        subject: `Your access to “${p.organisation}” is confirmed`,
        greeting: 'Hello,',
        lines: [`You can now read and send messages in the name of “${p.organisation}”.`],
        link: p.link,
        linkLabel: 'Go to the organisation account',
        footer: `${p.tenantName} – this e-mail contains no content.`,
      });
}

/** A new message or notice in the postbox, to the organisation's contact address. */
export function postboxNotificationMail(
  to: string,
  lang: Lang,
  p: { organisation: string; tenantName: string; link: string; what: 'message' | 'notice' },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Neue ${p.what === 'message' ? 'Nachricht' : 'Mitteilung'} im Postfach von „${p.organisation}“`,
        greeting: 'Guten Tag,',
        lines: [
          p.what === 'message'
            ? `Im Postfach des Organisationskontos „${p.organisation}“ ist eine neue vertrauliche Nachricht von ${p.tenantName} angekommen.`
            : `Im Postfach des Organisationskontos „${p.organisation}“ gibt es eine neue Mitteilung.`,
          'Mitglieder der Organisation können sie nach der Anmeldung mit ihrem Servicekonto lesen.',
        ],
        link: p.link,
        linkLabel: 'Zum Postfach',
        footer: `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      })
    : linkMail(to, lang, {
        subject: `New ${p.what === 'message' ? 'message' : 'notice'} in the postbox of “${p.organisation}”`,
        greeting: 'Hello,',
        lines: [
          p.what === 'message'
            ? `A new confidential message from ${p.tenantName} has arrived in the postbox of the organisation account “${p.organisation}”.`
            : `There is a new notice in the postbox of the organisation account “${p.organisation}”.`,
          'Members of the organisation can read it after signing in with their service account.',
        ],
        link: p.link,
        linkLabel: 'Go to the postbox',
        footer: `${p.tenantName} – this e-mail contains no content.`,
      });
}
