import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import { linkMail } from '../auth/mails.ts';

type Lang = 'de' | 'en';

// Mails of the service account: codes, reset links, notices. Plain text first (it must read well
// on its own), the same words as simple HTML; never a password, never content.

function codeMail(
  to: string,
  lang: Lang,
  p: { code: string; tenantName: string; purpose: 'register' | 'email' },
): OutgoingMail {
  const de = [
    'Guten Tag,',
    '',
    p.purpose === 'register'
      ? `Sie legen ein Servicekonto bei ${p.tenantName} an. Ihr Code lautet:`
      : `Sie möchten diese Adresse für Ihr Servicekonto bei ${p.tenantName} verwenden. Ihr Code lautet:`,
    '',
    p.code,
    '',
    'Der Code gilt 15 Minuten und nur einmal.',
    'Wenn Sie das nicht waren, können Sie diese Nachricht löschen.',
  ];
  const en = [
    'Hello,',
    '',
    p.purpose === 'register'
      ? `You are creating a service account at ${p.tenantName}. Your code is:`
      : `You want to use this address for your service account at ${p.tenantName}. Your code is:`,
    '',
    p.code,
    '',
    'The code works once, for 15 minutes.',
    'If this was not you, you can delete this message.',
  ];
  const text = lang === 'de' ? de : en;
  const esc = (l: string) => l.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    to: [to],
    subject: lang === 'de' ? `Ihr Code: ${p.code}` : `Your code: ${p.code}`,
    text: text.join('\n'),
    html: `<!doctype html><html lang="${lang}"><body>${text.map((l) => (l === '' ? '' : `<p>${l === p.code ? `<strong>${l}</strong>` : esc(l)}</p>`)).join('\n')}</body></html>`,
  };
}

export function registrationCodeMail(
  to: string,
  lang: Lang,
  p: { code: string; tenantName: string },
): OutgoingMail {
  return codeMail(to, lang, { ...p, purpose: 'register' });
}

export function emailChangeCodeMail(
  to: string,
  lang: Lang,
  p: { code: string; tenantName: string },
): OutgoingMail {
  return codeMail(to, lang, { ...p, purpose: 'email' });
}

/** Someone tried to register an address that already has an account with a password or passkey. */
export function alreadyRegisteredMail(
  to: string,
  lang: Lang,
  p: { tenantName: string; loginLink: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Ihr Servicekonto bei ${p.tenantName}`,
        greeting: 'Guten Tag,',
        lines: [
          `Jemand wollte ein Servicekonto mit dieser Adresse anlegen. Sie haben bei ${p.tenantName} aber schon eines. Melden Sie sich damit an. Haben Sie Ihr Passwort vergessen, können Sie dort ein neues festlegen.`,
        ],
        link: p.loginLink,
        linkLabel: 'Zur Anmeldung',
        footer: 'Wenn Sie das nicht waren, können Sie diese Nachricht löschen. Ihr Konto ist unverändert.',
      })
    : linkMail(to, lang, {
        subject: `Your service account at ${p.tenantName}`,
        greeting: 'Hello,',
        lines: [
          `Someone wanted to create a service account with this address. But you already have one at ${p.tenantName}. Please sign in with it. If you forgot your password, you can set a new one there.`,
        ],
        link: p.loginLink,
        linkLabel: 'Go to sign-in',
        footer: 'If this was not you, you can delete this message. Your account is unchanged.',
      });
}

export function passwordResetMail(
  to: string,
  lang: Lang,
  p: { tenantName: string; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Neues Passwort für Ihr Servicekonto bei ${p.tenantName}`,
        greeting: 'Guten Tag,',
        lines: [
          'Sie möchten ein neues Passwort festlegen. Mit diesem Link geht das einmal, eine Stunde lang:',
        ],
        link: p.link,
        linkLabel: 'Neues Passwort festlegen',
        footer:
          'Wenn Sie das nicht waren, können Sie diese Nachricht löschen. Ihr Passwort bleibt dann unverändert.',
      })
    : linkMail(to, lang, {
        subject: `New password for your service account at ${p.tenantName}`,
        greeting: 'Hello,',
        lines: ['You want to set a new password. This link lets you do so once, for one hour:'],
        link: p.link,
        linkLabel: 'Set a new password',
        footer: 'If this was not you, you can delete this message. Your password then stays unchanged.',
      });
}

/** To the old address after an e-mail change: if it was not the holder, they know at once. */
export function emailChangedMail(
  to: string,
  lang: Lang,
  p: { tenantName: string; newEmail: string; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Die E-Mail-Adresse Ihres Servicekontos bei ${p.tenantName} wurde geändert`,
        greeting: 'Guten Tag,',
        lines: [
          `Ihr Servicekonto verwendet ab jetzt die Adresse ${p.newEmail}. Waren Sie das nicht, melden Sie sich bitte bei der Behörde.`,
        ],
        link: p.link,
        linkLabel: 'Zum Portal',
        footer: `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      })
    : linkMail(to, lang, {
        subject: `The e-mail address of your service account at ${p.tenantName} was changed`,
        greeting: 'Hello,',
        lines: [
          `Your service account now uses the address ${p.newEmail}. If this was not you, please contact the authority.`,
        ],
        link: p.link,
        linkLabel: 'Go to the portal',
        footer: `${p.tenantName} – this e-mail contains no content.`,
      });
}
