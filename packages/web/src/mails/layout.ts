import type { Locale } from '@amtsbote/contracts';

// The layouts of the notification mails: a plain-text part that reads well on its own (text-only
// clients, filtered links) and a simple HTML part with the same words. The words come from
// i18n/mails.*.ts; the server adds the addressee. Never content, never a key.

/** A mail without its addressee. */
export interface MailBody {
  subject: string;
  text: string;
  html: string;
}

export interface LinkMailParts {
  subject: string;
  greeting: string;
  lines: readonly string[];
  link: string;
  linkLabel: string;
  footer: string;
}

export interface CodeMailParts {
  subject: string;
  greeting: string;
  /** What the code is for; it ends with "Your code is:". */
  intro: string;
  code: string;
  /** The lines after the code: how long it works, what to do if it was not you. */
  notes: readonly string[];
}

// Numeric character references, as the mails have always used (not the page escaper's names).
function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const paragraph = (line: string): string => `<p>${escape(line)}</p>`;

function document(locale: Locale, body: string): string {
  return `<!doctype html><html lang="${locale}"><body>${body}</body></html>`;
}

/** A mail that leads to one page: greeting, lines, the link (as a link and spelt out), footer. */
export function linkMail(locale: Locale, parts: LinkMailParts): MailBody {
  const text = [parts.greeting, '', ...parts.lines, '', parts.link, '', parts.footer].join('\n');
  const body = [
    '',
    paragraph(parts.greeting),
    parts.lines.map(paragraph).join('\n'),
    `<p><a href="${escape(parts.link)}">${escape(parts.linkLabel)}</a></p>`,
    paragraph(parts.link),
    paragraph(parts.footer),
    '',
  ].join('\n');
  return { subject: parts.subject, text, html: document(locale, body) };
}

/**
 * A mail without a link: a few lines of plain text, the same as simple HTML. An empty line is a
 * blank line in the text and nothing in the HTML.
 */
export function textMail(locale: Locale, subject: string, lines: readonly string[]): MailBody {
  return {
    subject,
    text: lines.join('\n'),
    html: document(
      locale,
      lines
        .filter((l) => l !== '')
        .map(paragraph)
        .join('\n'),
    ),
  };
}

/** A mail with a one-time code, set apart on a line of its own (and in bold in the HTML). */
export function codeMail(locale: Locale, parts: CodeMailParts): MailBody {
  const text = [parts.greeting, '', parts.intro, '', parts.code, '', ...parts.notes];
  // The empty entries keep the line breaks between the paragraphs that the HTML has always had.
  const body = [
    paragraph(parts.greeting),
    '',
    paragraph(parts.intro),
    '',
    `<p><strong>${escape(parts.code)}</strong></p>`,
    '',
    ...parts.notes.map(paragraph),
  ].join('\n');
  return { subject: parts.subject, text: text.join('\n'), html: document(locale, body) };
}
