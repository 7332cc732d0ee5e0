import type { Locale } from '@amtsbote/contracts';
import { codeMail, linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

// Mails of the service account: codes, reset links, notices. Plain text first (it must read well
// on its own), the same words as simple HTML; never a password, never content.

export function registrationCodeMail(
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
      intro: m.registrationCode.intro(p.tenantName),
      code: p.code,
      notes: [m.code.validity, m.code.notYou],
    }),
  };
}

export function emailChangeCodeMail(
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
      intro: m.emailChangeCode.intro(p.tenantName),
      code: p.code,
      notes: [m.code.validity, m.code.notYou],
    }),
  };
}

/** Someone tried to register an address that already has an account with a password or passkey. */
export function alreadyRegisteredMail(
  to: string,
  lang: Locale,
  p: { tenantName: string; loginLink: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.alreadyRegistered.subject(p.tenantName),
      greeting: m.greeting,
      lines: m.alreadyRegistered.lines(p.tenantName),
      link: p.loginLink,
      linkLabel: m.alreadyRegistered.linkLabel,
      footer: m.alreadyRegistered.footer,
    }),
  };
}

export function passwordResetMail(
  to: string,
  lang: Locale,
  p: { tenantName: string; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.passwordReset.subject(p.tenantName),
      greeting: m.greeting,
      lines: m.passwordReset.lines,
      link: p.link,
      linkLabel: m.passwordReset.linkLabel,
      footer: m.passwordReset.footer,
    }),
  };
}

/** To the old address after an e-mail change: if it was not the holder, they know at once. */
export function emailChangedMail(
  to: string,
  lang: Locale,
  p: { tenantName: string; newEmail: string; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.emailChanged.subject(p.tenantName),
      greeting: m.greeting,
      lines: m.emailChanged.lines(p.newEmail),
      link: p.link,
      linkLabel: m.emailChanged.linkLabel,
      footer: m.footerNoContentFrom(p.tenantName),
    }),
  };
}
