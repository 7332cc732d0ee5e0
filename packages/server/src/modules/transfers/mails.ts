import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import { linkMail } from '../auth/mails.ts';

type Lang = 'de' | 'en';

function dateOf(d: Date, lang: Lang): string {
  return d.toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Berlin',
  });
}

/**
 * Tells a recipient that a transfer waits for them. Names the sender, the authority and the
 * expiry; never the subject, the text or a file name, because a mail travels unprotected.
 */
export function transferNotificationMail(
  to: string,
  lang: Lang,
  p: { senderName: string; tenantName: string; expiresAt: Date; link: string; level: number },
): OutgoingMail {
  const until = dateOf(p.expiresAt, lang);
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Neue vertrauliche Nachricht von ${p.tenantName}`,
        greeting: 'Guten Tag,',
        lines: [
          `${p.senderName} (${p.tenantName}) hat Ihnen eine vertrauliche Nachricht geschickt.`,
          p.level >= 2
            ? 'Zum Öffnen bestätigen Sie Ihre E-Mail-Adresse mit einem Code, den wir Ihnen dann schicken.'
            : 'Sie können die Nachricht und die Dateien über diesen Link öffnen.',
          `Die Nachricht ist bis zum ${until} abrufbar. Danach wird sie gelöscht.`,
        ],
        link: p.link,
        linkLabel: 'Nachricht öffnen',
        footer: 'Diese E-Mail enthält keine Inhalte. Geben Sie den Link nicht weiter.',
      })
    : linkMail(to, lang, {
        subject: `New confidential message from ${p.tenantName}`,
        greeting: 'Hello,',
        lines: [
          `${p.senderName} (${p.tenantName}) has sent you a confidential message.`,
          p.level >= 2
            ? 'To open it, confirm your e-mail address with a code we will then send you.'
            : 'You can open the message and the files with this link.',
          `The message is available until ${until}. After that it is deleted.`,
        ],
        link: p.link,
        linkLabel: 'Open message',
        footer: 'This e-mail contains no content. Do not pass the link on.',
      });
}

/** Tells the sender that a recipient downloaded for the first time. */
export function firstDownloadMail(
  to: string,
  lang: Lang,
  p: { recipient: string; tenantName: string; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: 'Ihre Nachricht wurde heruntergeladen',
        greeting: 'Guten Tag,',
        lines: [`${p.recipient} hat Dateien aus Ihrer Nachricht heruntergeladen.`],
        link: p.link,
        linkLabel: 'Zum Postausgang',
        footer: `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      })
    : linkMail(to, lang, {
        subject: 'Your message was downloaded',
        greeting: 'Hello,',
        lines: [`${p.recipient} has downloaded files from your message.`],
        link: p.link,
        linkLabel: 'Go to outbox',
        footer: `${p.tenantName} – this e-mail contains no content.`,
      });
}

/** Tells a staff member that a reply arrived in their postbox. */
export function replyArrivedMail(
  to: string,
  lang: Lang,
  p: { from: string; tenantName: string; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: 'Neue Antwort in Ihrem Postfach',
        greeting: 'Guten Tag,',
        lines: [`${p.from} hat auf Ihre Nachricht geantwortet.`],
        link: p.link,
        linkLabel: 'Antwort öffnen',
        footer: `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      })
    : linkMail(to, lang, {
        subject: 'New reply in your postbox',
        greeting: 'Hello,',
        lines: [`${p.from} has replied to your message.`],
        link: p.link,
        linkLabel: 'Open reply',
        footer: `${p.tenantName} – this e-mail contains no content.`,
      });
}

/** The one-time code that proves a recipient controls the address (level 2). */
export function verificationCodeMail(
  to: string,
  lang: Lang,
  p: { code: string; tenantName: string },
): OutgoingMail {
  const text =
    lang === 'de'
      ? [
          'Guten Tag,',
          '',
          `Ihr Bestätigungs-Code für ${p.tenantName} lautet:`,
          '',
          p.code,
          '',
          'Der Code gilt 15 Minuten und nur einmal.',
          'Wenn Sie das nicht waren, können Sie diese Nachricht löschen.',
        ]
      : [
          'Hello,',
          '',
          `Your confirmation code for ${p.tenantName} is:`,
          '',
          p.code,
          '',
          'The code works once, for 15 minutes.',
          'If this was not you, you can delete this message.',
        ];
  return {
    to: [to],
    subject: lang === 'de' ? `Ihr Code: ${p.code}` : `Your code: ${p.code}`,
    text: text.join('\n'),
    html: `<!doctype html><html lang="${lang}"><body>${text.map((l) => (l === '' ? '' : `<p>${l === p.code ? `<strong>${l}</strong>` : l.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`)).join('\n')}</body></html>`,
  };
}
