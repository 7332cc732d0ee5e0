import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { ConfigError } from '../../config.ts';
import type { Logger } from '../../log.ts';
import { assertSendable, messageOptions } from './compose.ts';
import type { Mailer, OutgoingMail } from './types.ts';
import { MailDeliveryError } from './types.ts';

const PARAMS = ['requireTLS', 'rejectUnauthorized', 'name', 'maxConnections'] as const;

/**
 * Nodemailer pool options from SMTP_URL:
 * `smtp[s]://[user:password@]host[:port][?requireTLS=true&rejectUnauthorized=false&name=EHLO-NAME&maxConnections=N]`.
 * `smtp://` upgrades with STARTTLS when the server offers it (`requireTLS=true`: only then sends),
 * port 587 by default; `smtps://` is TLS from the start, port 465 by default. User and password are
 * percent-decoded. Certificates are verified unless `rejectUnauthorized=false` (for a relay with
 * an internal CA prefer NODE_EXTRA_CA_CERTS).
 * @throws {ConfigError} naming every problem.
 */
export function parseSmtpUrl(url: string): SMTPPool.Options {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(['SMTP_URL is not a valid URL']);
  }
  const problems: string[] = [];
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    problems.push('SMTP_URL must start with smtp:// or smtps://');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') problems.push('SMTP_URL names no host');
  for (const name of new Set(u.searchParams.keys())) {
    if (!(PARAMS as readonly string[]).includes(name)) {
      problems.push(`SMTP_URL: unknown parameter "${name}" (known: ${PARAMS.join(', ')})`);
    }
  }
  const bool = (name: 'requireTLS' | 'rejectUnauthorized', fallback: boolean): boolean => {
    const v = u.searchParams.get(name)?.trim().toLowerCase();
    if (v === undefined || v === '') return fallback;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    problems.push(`SMTP_URL: ${name} must be true or false, got "${v}"`);
    return fallback;
  };
  const requireTLS = bool('requireTLS', false);
  const rejectUnauthorized = bool('rejectUnauthorized', true);
  const maxRaw = u.searchParams.get('maxConnections');
  const maxConnections = maxRaw === null ? 5 : Number(maxRaw);
  if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 50) {
    problems.push(`SMTP_URL: maxConnections must be a whole number from 1 to 50, got "${String(maxRaw)}"`);
  }
  if ((u.username === '') !== (u.password === ''))
    problems.push('SMTP_URL: give both user and password, or neither');
  if (problems.length > 0) throw new ConfigError(problems);

  const secure = u.protocol === 'smtps:';
  const name = u.searchParams.get('name');
  return {
    pool: true,
    host,
    port: u.port === '' ? (secure ? 465 : 587) : Number(u.port),
    secure,
    requireTLS,
    tls: { rejectUnauthorized },
    maxConnections,
    ...(name === null || name === '' ? {} : { name }),
    ...(u.username === ''
      ? {}
      : { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }),
    // A mail is sent while a request waits: fail in seconds, not nodemailer's minutes.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  };
}

export interface SmtpMailerOptions {
  /** SMTP_URL, see `parseSmtpUrl`. */
  url: string;
  from: string;
  logger: Logger;
}

/** Sends through an SMTP relay over a small pool of reused connections. */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;
  readonly #from: string;
  readonly #logger: Logger;

  /** @throws {ConfigError} for a malformed URL. Connects on the first send. */
  constructor(opts: SmtpMailerOptions) {
    this.#transport = nodemailer.createTransport(parseSmtpUrl(opts.url));
    this.#from = opts.from;
    this.#logger = opts.logger;
  }

  /**
   * @throws {TypeError} for a mail without recipients or with line breaks in an address.
   * @throws {MailDeliveryError} when the server refuses the mail (or every recipient), rejects the
   * login, or can't be reached in time.
   */
  async send(mail: OutgoingMail): Promise<void> {
    assertSendable(mail);
    let info: SMTPPool.SentMessageInfo;
    try {
      info = await this.#transport.sendMail(messageOptions(mail, this.#from));
    } catch (err) {
      throw deliveryError(err);
    }
    if (info.rejected.length > 0) {
      this.#logger.warn(
        { accepted: info.accepted.length, rejected: info.rejected.length },
        'the SMTP server refused some recipients of a mail',
      );
    }
  }

  async close(): Promise<void> {
    this.#transport.close();
    return Promise.resolve();
  }
}

/** Mail addresses in server replies become `<address>`, so the error can be logged. */
function maskAddresses(text: string): string {
  return text.replace(/<?[^\s<>"]+@[^\s<>"]+>?/g, '<address>');
}

function deliveryError(err: unknown): MailDeliveryError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const reason = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const detail =
    typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(err);
  const what =
    reason === 'EAUTH' ? 'the SMTP server rejected the login' : 'the SMTP server did not take the mail';
  return new MailDeliveryError(
    `${what} (${[reason, responseCode].filter((x) => x !== undefined).join(' ') || 'no reply'}): ${maskAddresses(detail)}`,
    {
      ...(reason === undefined ? {} : { reason }),
      ...(responseCode === undefined ? {} : { responseCode }),
    },
  );
}
