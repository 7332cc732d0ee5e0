import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import { linkMail } from '../auth/mails.ts';

/**
 * Tells a recipient who created a key after a level-3/4 transfer was sent that it can be opened
 * now (the sender's side wrapped the file key for them). No content, no link secret.
 */
export function keyReadyMail(
  to: string,
  lang: 'de' | 'en',
  p: { tenantName: string; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Ihre vertrauliche Nachricht von ${p.tenantName} kann jetzt geöffnet werden`,
        greeting: 'Guten Tag,',
        lines: [
          'die Absenderseite hat die Nachricht für Ihren Schlüssel freigegeben.',
          'Öffnen Sie sie über den Link aus der ersten E-Mail oder melden Sie sich in Ihrem Konto an.',
        ],
        link: p.link,
        linkLabel: 'Zum Konto',
        footer: 'Diese E-Mail enthält keine Inhalte.',
      })
    : linkMail(to, lang, {
        subject: `Your confidential message from ${p.tenantName} can be opened now`,
        greeting: 'Hello,',
        lines: [
          'The sender’s side has released the message for your key.',
          'Open it with the link from the first e-mail, or sign in to your account.',
        ],
        link: p.link,
        linkLabel: 'To your account',
        footer: 'This e-mail contains no content.',
      });
}
