import type { Locale } from '@amtsbote/contracts';
import { linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

/**
 * Tells a recipient who created a key after a level-3/4 transfer was sent that it can be opened
 * now (the sender's side wrapped the file key for them). No content, no link secret.
 */
export function keyReadyMail(
  to: string,
  lang: Locale,
  p: { tenantName: string; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.keyReady.subject(p.tenantName),
      greeting: m.greeting,
      lines: m.keyReady.lines,
      link: p.link,
      linkLabel: m.keyReady.linkLabel,
      footer: m.footerNoContent,
    }),
  };
}

/**
 * Tells the owner that their personal key was replaced, with the new key's fingerprint, and
 * what to do if it was not them. The fingerprint is public; no key, no secret.
 */
export function keyReplacedMail(
  to: string,
  lang: Locale,
  p: { tenantName: string; fingerprint: string | undefined; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...linkMail(lang, {
      subject: m.keyReplaced.subject(p.tenantName),
      greeting: m.greeting,
      lines: m.keyReplaced.lines(p.tenantName, p.fingerprint),
      link: p.link,
      linkLabel: m.keyReplaced.linkLabel,
      footer: m.keyReplaced.footer,
    }),
  };
}
