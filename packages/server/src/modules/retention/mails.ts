import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import { linkMail } from '../auth/mails.ts';

type Lang = 'de' | 'en';

function day(d: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Berlin',
  }).format(d);
}

/** Before a service account is deleted for inactivity: signing in keeps it. */
export function accountInactivityWarningMail(
  to: string,
  lang: Lang,
  p: { tenantName: string; lastActive: Date; dueAt: Date; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Ihr Servicekonto bei ${p.tenantName} wird bald gelöscht`,
        greeting: 'Guten Tag,',
        lines: [
          `Sie haben Ihr Servicekonto bei ${p.tenantName} seit dem ${day(p.lastActive, lang)} nicht benutzt.`,
          `Konten, die lange nicht benutzt werden, löschen wir mit allen Daten. Ihr Konto wird am ${day(p.dueAt, lang)} gelöscht.`,
          'Wenn Sie Ihr Konto behalten möchten, melden Sie sich einfach vorher einmal an:',
        ],
        link: p.link,
        linkLabel: 'Jetzt anmelden',
        footer: 'Wenn Sie das Konto nicht mehr brauchen, müssen Sie nichts tun.',
      })
    : linkMail(to, lang, {
        subject: `Your service account at ${p.tenantName} will be deleted soon`,
        greeting: 'Hello,',
        lines: [
          `You have not used your service account at ${p.tenantName} since ${day(p.lastActive, lang)}.`,
          `Accounts that are not used for a long time are deleted with all their data. Your account will be deleted on ${day(p.dueAt, lang)}.`,
          'If you want to keep it, simply sign in once before then:',
        ],
        link: p.link,
        linkLabel: 'Sign in now',
        footer: 'If you no longer need the account, you need not do anything.',
      });
}

/** Before an organisation account is deleted for inactivity: the link stops the deletion. */
export function organisationDeletionAnnouncementMail(
  to: string,
  lang: Lang,
  p: { tenantName: string; organisation: string; dueAt: Date; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Das Organisationskonto „${p.organisation}“ wird gelöscht`,
        greeting: 'Guten Tag,',
        lines: [
          `Das Organisationskonto „${p.organisation}“ bei ${p.tenantName} wurde lange nicht benutzt.`,
          `Es wird deshalb am ${day(p.dueAt, lang)} mit allen Daten gelöscht.`,
          'Wenn Sie es behalten möchten, stoppen Sie die Löschung mit diesem Link:',
        ],
        link: p.link,
        linkLabel: 'Löschung stoppen',
        footer: 'Wenn Sie das Organisationskonto nicht mehr brauchen, müssen Sie nichts tun.',
      })
    : linkMail(to, lang, {
        subject: `The organisation account “${p.organisation}” will be deleted`,
        greeting: 'Hello,',
        lines: [
          `The organisation account “${p.organisation}” at ${p.tenantName} has not been used for a long time.`,
          `It will therefore be deleted with all its data on ${day(p.dueAt, lang)}.`,
          'If you want to keep it, stop the deletion with this link:',
        ],
        link: p.link,
        linkLabel: 'Stop the deletion',
        footer: 'If you no longer need the organisation account, you need not do anything.',
      });
}
