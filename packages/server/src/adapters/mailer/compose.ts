import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { OutgoingMail } from './types.ts';

/**
 * The http(s) links in a text, in order of appearance, each once. Trailing sentence punctuation
 * is not part of a link.
 */
export function extractLinks(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'`()[\]{}]+/g) ?? [];
  return [...new Set(found.map((l) => l.replace(/[.,;:!?]+$/, '')))];
}

/**
 * Checks a mail before it is composed.
 * @throws {TypeError} without recipients, or with line breaks in an address (header injection).
 */
export function assertSendable(mail: OutgoingMail): void {
  if (!Array.isArray(mail.to) || mail.to.length === 0)
    throw new TypeError('a mail needs at least one recipient');
  for (const address of [...mail.to, mail.replyTo ?? '']) {
    if (typeof address !== 'string' || /[\r\n]/.test(address)) {
      throw new TypeError('a mail address must be one line of text');
    }
  }
}

/** Nodemailer's message options for a mail from `from`; the same for the outbox and SMTP. */
export function messageOptions(mail: OutgoingMail, from: string): Mail.Options {
  return {
    from,
    to: mail.to,
    // A subject is one line; nodemailer encodes it (RFC 2047) and folds it.
    subject: mail.subject.replace(/[\r\n]+/g, ' '),
    text: mail.text,
    ...(mail.html === undefined ? {} : { html: mail.html }),
    ...(mail.replyTo === undefined ? {} : { replyTo: mail.replyTo }),
    // RFC 3834: no vacation or out-of-office replies to notifications.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/**
 * The mail as an RFC 5322 message: From, To, Subject (UTF-8, encoded), Date, Message-ID,
 * MIME-Version; text/plain, or multipart/alternative with text/plain and text/html.
 */
export async function composeMessage(mail: OutgoingMail, from: string): Promise<Buffer> {
  return new MailComposer(messageOptions(mail, from)).compile().build();
}
