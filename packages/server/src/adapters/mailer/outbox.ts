import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../log.ts';
import { assertSendable, composeMessage, extractLinks } from './compose.ts';
import type { Mailer, OutgoingMail } from './types.ts';

export interface OutboxMailerOptions {
  /** Directory for the `.eml` files; created when missing. */
  dir: string;
  /** The From header, e.g. `Amtsbote <no-reply@portal.example>`. */
  from: string;
  logger: Logger;
  /** Print one line per mail (recipients, subject, links) through `announce`. */
  printLinks: boolean;
  /** Where those lines go; default stdout. Never the JSON log. */
  announce?: (line: string) => void;
}

let sequence = 0;

/**
 * A name that sorts by time of writing: `2026-01-15T09-00-00.123Z-000042-1a2b3c4d.eml` (the
 * counter orders mails of one process within a millisecond; the random part keeps processes apart).
 */
function outboxFileName(now: Date): string {
  sequence = (sequence + 1) % 1_000_000;
  const stamp = now.toISOString().replace(/:/g, '-');
  return `${stamp}-${String(sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}.eml`;
}

/**
 * Writes every mail as an RFC 5322 `.eml` file into a directory instead of sending it: the
 * default without SMTP_URL, and what tests read (`readOutbox`). Each file appears whole (temp file
 * and rename) and is readable by the server's user only, since mails carry one-time links.
 * With `printLinks` the links are shown on the console so a newcomer can follow them.
 */
export class OutboxMailer implements Mailer {
  readonly dir: string;
  readonly #from: string;
  readonly #logger: Logger;
  readonly #printLinks: boolean;
  readonly #announce: (line: string) => void;

  constructor(opts: OutboxMailerOptions) {
    this.dir = path.resolve(opts.dir);
    this.#from = opts.from;
    this.#logger = opts.logger;
    this.#printLinks = opts.printLinks;
    this.#announce = opts.announce ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /**
   * @throws {TypeError} for a mail without recipients or with line breaks in an address.
   * @throws the filesystem's error when the outbox can't be written.
   */
  async send(mail: OutgoingMail): Promise<void> {
    assertSendable(mail);
    const message = await composeMessage(mail, this.#from);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const name = outboxFileName(new Date());
    const temp = path.join(this.dir, `.${name}.tmp`);
    try {
      await writeFile(temp, message, { mode: 0o600, flag: 'wx' });
      await rename(temp, path.join(this.dir, name));
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    // The file name only: recipients, subject and body stay out of the log.
    this.#logger.debug({ file: name }, 'mail written to the outbox');
    if (this.#printLinks) {
      const links = extractLinks(mail.text);
      const subject = mail.subject.replace(/[\r\n]+/g, ' ');
      this.#announce(
        `  mail to ${mail.to.join(', ')}: ${subject}${links.length > 0 ? ` → ${links.join(' ')}` : ` (${name})`}`,
      );
    }
  }

  async close(): Promise<void> {
    // Nothing held open.
  }
}
