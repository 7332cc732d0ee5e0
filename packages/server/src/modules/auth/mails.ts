import type { OutgoingMail } from '../../adapters/mailer/types.ts';

type Lang = 'de' | 'en';

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A notification mail: a plain-text part that reads well on its own (text-only clients,
 * filtered links) and a simple HTML part with the same words. Never content, never a key.
 */
export function linkMail(
  to: string,
  lang: Lang,
  parts: {
    subject: string;
    greeting: string;
    lines: string[];
    link: string;
    linkLabel: string;
    footer: string;
  },
): OutgoingMail {
  const text = [parts.greeting, '', ...parts.lines, '', parts.link, '', parts.footer].join('\n');
  const html = `<!doctype html><html lang="${lang}"><body>
<p>${escape(parts.greeting)}</p>
${parts.lines.map((l) => `<p>${escape(l)}</p>`).join('\n')}
<p><a href="${escape(parts.link)}">${escape(parts.linkLabel)}</a></p>
<p>${escape(parts.link)}</p>
<p>${escape(parts.footer)}</p>
</body></html>`;
  return { to: [to], subject: parts.subject, text, html };
}

export function loginLinkMail(to: string, lang: Lang, tenantName: string, link: string): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Ihr Anmelde-Link für ${tenantName}`,
        greeting: 'Guten Tag,',
        lines: [
          `Sie möchten sich bei ${tenantName} anmelden. Mit diesem Link geht das einmal, 15 Minuten lang:`,
        ],
        link,
        linkLabel: 'Jetzt anmelden',
        footer: 'Wenn Sie das nicht waren, können Sie diese Nachricht einfach löschen.',
      })
    : linkMail(to, lang, {
        subject: `Your sign-in link for ${tenantName}`,
        greeting: 'Hello,',
        lines: [`You asked to sign in to ${tenantName}. This link works once, for 15 minutes:`],
        link,
        linkLabel: 'Sign in now',
        footer: 'If this was not you, you can simply delete this message.',
      });
}

export function invitationMail(
  to: string,
  lang: Lang,
  tenantName: string,
  inviter: string,
  link: string,
): OutgoingMail {
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Einladung zu ${tenantName}`,
        greeting: 'Guten Tag,',
        lines: [
          `${inviter} hat Sie als Mitarbeiterin oder Mitarbeiter bei ${tenantName} eingeladen.`,
          'Mit diesem Link legen Sie Ihr Passwort fest. Der Link gilt 7 Tage und nur einmal:',
        ],
        link,
        linkLabel: 'Einladung annehmen',
        footer: 'Wenn Sie diese Einladung nicht erwartet haben, können Sie diese Nachricht löschen.',
      })
    : linkMail(to, lang, {
        subject: `Invitation to ${tenantName}`,
        greeting: 'Hello,',
        lines: [
          `${inviter} has invited you as a staff member of ${tenantName}.`,
          'Use this link to set your password. It works once, for 7 days:',
        ],
        link,
        linkLabel: 'Accept invitation',
        footer: 'If you did not expect this invitation, you can delete this message.',
      });
}

export function feedbackMail(
  to: string[],
  tenantName: string,
  feedback: { name: string; email: string; message: string; page: string },
): OutgoingMail {
  const lines = [
    `Neue Rückmeldung zur Barrierefreiheit von ${tenantName}:`,
    '',
    `Name: ${feedback.name === '' ? '(nicht angegeben)' : feedback.name}`,
    `E-Mail: ${feedback.email === '' ? '(nicht angegeben)' : feedback.email}`,
    `Seite: ${feedback.page === '' ? '(nicht angegeben)' : feedback.page}`,
    '',
    feedback.message,
  ];
  return {
    to,
    subject: `Rückmeldung zur Barrierefreiheit (${tenantName})`,
    text: lines.join('\n'),
    ...(feedback.email === '' ? {} : { replyTo: feedback.email }),
  };
}
