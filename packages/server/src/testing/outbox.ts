import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressObject } from 'mailparser';
import { simpleParser } from 'mailparser';
import { extractLinks } from '../adapters/mailer/compose.ts';

/** A mail as a test sees it, parsed from the RFC 5322 message. */
export interface ReceivedMail {
  /** The `.eml` file name in the outbox (or another label for mails caught elsewhere). */
  file: string;
  /** Addresses in To, e.g. `['a@b.example']`. */
  to: string[];
  /** The sender, decoded, e.g. `Amtsbote <no-reply@portal.example>` (or just the address). */
  from: string;
  subject: string;
  /** The text/plain part. */
  text: string;
  /** The text/html part, when there is one. */
  html?: string;
  /** The http(s) links in the text part, in order, each once. */
  links: string[];
  /** The Reply-To address, when set. */
  replyTo?: string;
  date: Date;
  messageId?: string;
  /** Every Content-Type in the message, outermost first, e.g. `['multipart/alternative', 'text/plain', 'text/html']`. */
  contentTypes: string[];
  /** Header names, lower-case, with their raw values (first occurrence). */
  headers: Record<string, string>;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.map((a) => a.address ?? '')).filter((a) => a !== '');
}

/** Parses a raw RFC 5322 message (an outbox file, or what an SMTP server received). */
export async function parseMail(raw: Buffer | string, file = ''): Promise<ReceivedMail> {
  const source = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const parsed = await simpleParser(source, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  const text = typeof parsed.text === 'string' ? parsed.text : '';
  const contentTypes = [...source.toString('latin1').matchAll(/^Content-Type:[ \t]*([^;\s]+)/gim)].map((m) =>
    (m[1] ?? '').toLowerCase(),
  );
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) {
    const value = line.line.slice(line.line.indexOf(':') + 1).trim();
    if (!(line.key in headers)) headers[line.key] = value;
  }
  const replyTo = addresses(parsed.replyTo)[0];
  const sender = parsed.from?.value[0];
  return {
    file,
    to: addresses(parsed.to),
    from:
      sender === undefined
        ? ''
        : sender.name === ''
          ? (sender.address ?? '')
          : `${sender.name} <${sender.address ?? ''}>`,
    subject: parsed.subject ?? '',
    text,
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    links: extractLinks(text),
    ...(replyTo === undefined ? {} : { replyTo }),
    date: parsed.date ?? new Date(0),
    ...(parsed.messageId === undefined ? {} : { messageId: parsed.messageId }),
    contentTypes,
    headers,
  };
}

/** Every mail in an outbox directory, oldest first (none when it doesn't exist yet). */
export async function readOutbox(dir: string): Promise<ReceivedMail[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files = names.filter((n) => n.endsWith('.eml') && !n.startsWith('.')).sort();
  return Promise.all(files.map(async (f) => parseMail(await readFile(path.join(dir, f)), f)));
}

/**
 * The first mail in the outbox that matches, waiting for it to be written.
 * @throws {Error} after `timeoutMs` (default 5 s), naming the subjects that were there.
 */
export async function waitForMail(
  dir: string,
  predicate: (mail: ReceivedMail) => boolean = () => true,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<ReceivedMail> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  for (;;) {
    const mails = await readOutbox(dir);
    const found = mails.find(predicate);
    if (found !== undefined) return found;
    if (Date.now() >= deadline) {
      const seen = mails.map((m) => `"${m.subject}" to ${m.to.join(', ')}`).join('; ');
      throw new Error(
        `no matching mail in ${dir} after ${opts.timeoutMs ?? 5000} ms (there: ${seen || 'none'})`,
      );
    }
    await sleep(opts.intervalMs ?? 25);
  }
}
