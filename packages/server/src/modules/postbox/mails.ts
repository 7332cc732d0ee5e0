import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import { linkMail } from '../auth/mails.ts';

type Lang = 'de' | 'en';

// Mails about what comes in. Like every notification: no subject, text, file name or key, only
// who, where and until when — a mail travels unprotected.

function dateOf(d: Date, lang: Lang): string {
  return d.toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Berlin',
  });
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A mail without a link: a few lines of plain text, the same as simple HTML. */
function textMail(to: string, lang: Lang, subject: string, lines: string[]): OutgoingMail {
  return {
    to: [to],
    subject,
    text: lines.join('\n'),
    html: `<!doctype html><html lang="${lang}"><body>${lines
      .filter((l) => l !== '')
      .map((l) => `<p>${escape(l)}</p>`)
      .join('\n')}</body></html>`,
  };
}

/** To the department's staff: something arrived in the postbox. */
export function inboundArrivedMail(
  to: string,
  lang: Lang,
  p: { department: string; tenantName: string; kind: 'dropoff' | 'upload'; link: string },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Neuer Eingang im Postfach ${p.department}`,
        greeting: 'Guten Tag,',
        lines: [
          p.kind === 'dropoff'
            ? `Im Postfach ${p.department} ist eine neue vertrauliche Nachricht angekommen.`
            : `Im Postfach ${p.department} sind angeforderte Unterlagen angekommen.`,
        ],
        link: p.link,
        linkLabel: 'Eingang öffnen',
        footer: `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      })
    : linkMail(to, lang, {
        subject: `New item in the ${p.department} postbox`,
        greeting: 'Hello,',
        lines: [
          p.kind === 'dropoff'
            ? `A new confidential message has arrived in the ${p.department} postbox.`
            : `Requested documents have arrived in the ${p.department} postbox.`,
        ],
        link: p.link,
        linkLabel: 'Open item',
        footer: `${p.tenantName} – this e-mail contains no content.`,
      });
}

/** To the sender: it arrived; how long it stays. */
export function inboundReceivedMail(
  to: string,
  lang: Lang,
  p: { department: string; tenantName: string; number: string; expiresAt: Date; notify: boolean },
): OutgoingMail {
  const until = dateOf(p.expiresAt, lang);
  return lang === 'de'
    ? textMail(to, lang, `Ihre Nachricht an ${p.tenantName} ist angekommen`, [
        'Guten Tag,',
        '',
        `Ihre vertrauliche Nachricht an ${p.department} (${p.tenantName}) ist angekommen.`,
        `Vorgangsnummer: ${p.number}`,
        `Sie bleibt bis zum ${until} abrufbar. Danach werden die Nachricht, die Dateien und Ihre Kontaktdaten gelöscht.`,
        p.notify ? 'Wir schreiben Ihnen, sobald jemand sie geöffnet hat.' : '',
        '',
        'Diese E-Mail enthält keine Inhalte. Wenn Sie nichts geschickt haben, können Sie sie löschen.',
      ])
    : textMail(to, lang, `Your message to ${p.tenantName} has arrived`, [
        'Hello,',
        '',
        `Your confidential message to ${p.department} (${p.tenantName}) has arrived.`,
        `Reference number: ${p.number}`,
        `It stays available until ${until}. After that the message, the files and your contact details are deleted.`,
        p.notify ? 'We will write to you as soon as someone has opened it.' : '',
        '',
        'This e-mail contains no content. If you did not send anything, you can delete it.',
      ]);
}

/** To the sender: a caseworker opened it for the first time (when the sender asked for this). */
export function inboundRetrievedMail(
  to: string,
  lang: Lang,
  p: { department: string; tenantName: string; number: string },
): OutgoingMail {
  return lang === 'de'
    ? textMail(to, lang, 'Ihre Nachricht wurde abgerufen', [
        'Guten Tag,',
        '',
        `Ihre Nachricht mit der Vorgangsnummer ${p.number} wurde von ${p.department} (${p.tenantName}) abgerufen.`,
        '',
        'Diese E-Mail enthält keine Inhalte.',
      ])
    : textMail(to, lang, 'Your message was retrieved', [
        'Hello,',
        '',
        `Your message with the reference number ${p.number} was retrieved by ${p.department} (${p.tenantName}).`,
        '',
        'This e-mail contains no content.',
      ]);
}

/** To the sender: a file was blocked (malware found, or it could not be checked). */
export function quarantineGuestMail(
  to: string,
  lang: Lang,
  p: { department: string; tenantName: string; number: string; reason: 'infected' | 'failed' },
): OutgoingMail {
  return lang === 'de'
    ? textMail(to, lang, 'Eine Ihrer Dateien wurde nicht zugestellt', [
        'Guten Tag,',
        '',
        p.reason === 'infected'
          ? `In einer Datei Ihrer Nachricht an ${p.department} (Vorgangsnummer ${p.number}) hat unser Virenscanner Schadsoftware gefunden. Die Datei wurde gesperrt und gelöscht. ${p.department} wurde informiert.`
          : `Eine Datei Ihrer Nachricht an ${p.department} (Vorgangsnummer ${p.number}) konnte nicht auf Schadsoftware geprüft werden, zum Beispiel weil sie zu groß ist. Sie wurde deshalb nicht zugestellt. ${p.department} wurde informiert.`,
        'Bitte prüfen Sie die Datei mit einem aktuellen Virenscanner und schicken Sie sie dann noch einmal.',
        '',
        `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      ])
    : textMail(to, lang, 'One of your files was not delivered', [
        'Hello,',
        '',
        p.reason === 'infected'
          ? `Our virus scanner found malware in a file of your message to ${p.department} (reference number ${p.number}). The file was blocked and deleted. ${p.department} has been told.`
          : `A file of your message to ${p.department} (reference number ${p.number}) could not be checked for malware, for example because it is too large. It was therefore not delivered. ${p.department} has been told.`,
        'Please check the file with an up-to-date virus scanner and then send it again.',
        '',
        `${p.tenantName} – this e-mail contains no content.`,
      ]);
}

/** To the department's staff: a file of an incoming transfer was blocked. */
export function quarantineStaffMail(
  to: string,
  lang: Lang,
  p: { department: string; tenantName: string; link: string; reason: 'infected' | 'failed' },
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Datei gesperrt im Postfach ${p.department}`,
        greeting: 'Guten Tag,',
        lines: [
          p.reason === 'infected'
            ? `In einem Eingang im Postfach ${p.department} hat der Virenscanner Schadsoftware gefunden. Die Datei ist gesperrt und kann nicht heruntergeladen werden. Die Absenderin oder der Absender wurde informiert.`
            : `Eine Datei in einem Eingang im Postfach ${p.department} konnte nicht auf Schadsoftware geprüft werden. Sie ist gesperrt. Die Absenderin oder der Absender wurde informiert.`,
        ],
        link: p.link,
        linkLabel: 'Eingang öffnen',
        footer: `${p.tenantName} – diese E-Mail enthält keine Inhalte.`,
      })
    : linkMail(to, lang, {
        subject: `File blocked in the ${p.department} postbox`,
        greeting: 'Hello,',
        lines: [
          p.reason === 'infected'
            ? `The virus scanner found malware in an item of the ${p.department} postbox. The file is blocked and cannot be downloaded. The sender has been told.`
            : `A file in an item of the ${p.department} postbox could not be checked for malware. It is blocked. The sender has been told.`,
        ],
        link: p.link,
        linkLabel: 'Open item',
        footer: `${p.tenantName} – this e-mail contains no content.`,
      });
}

/** To the person a caseworker asks for documents: the upload link. */
export function uploadRequestMail(
  to: string,
  lang: Lang,
  p: {
    department: string;
    tenantName: string;
    requester: string;
    link: string;
    expiresAt: Date;
    level: number;
  },
): OutgoingMail {
  const until = dateOf(p.expiresAt, lang);
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `${p.tenantName} bittet Sie um Unterlagen`,
        greeting: 'Guten Tag,',
        lines: [
          `${p.requester} (${p.department}, ${p.tenantName}) bittet Sie, Unterlagen über unser sicheres Portal hochzuladen.`,
          'Über den Link sehen Sie, welche Unterlagen gebraucht werden, und laden sie hoch.',
          p.level >= 2 ? 'Zur Sicherheit bestätigen Sie dort zuerst Ihre E-Mail-Adresse mit einem Code.' : '',
          `Der Link gilt bis zum ${until}.`,
        ].filter((l) => l !== ''),
        link: p.link,
        linkLabel: 'Unterlagen hochladen',
        footer: 'Diese E-Mail enthält keine Inhalte. Geben Sie den Link nicht weiter.',
      })
    : linkMail(to, lang, {
        subject: `${p.tenantName} asks you for documents`,
        greeting: 'Hello,',
        lines: [
          `${p.requester} (${p.department}, ${p.tenantName}) asks you to upload documents through our secure portal.`,
          'The link shows which documents are needed and lets you upload them.',
          p.level >= 2 ? 'For your security you first confirm your e-mail address there with a code.' : '',
          `The link works until ${until}.`,
        ].filter((l) => l !== ''),
        link: p.link,
        linkLabel: 'Upload documents',
        footer: 'This e-mail contains no content. Do not pass the link on.',
      });
}
