/** A notification mail as the modules write it: never content or keys, only what a link needs. */
export interface OutgoingMail {
  /** One or more addresses (`a@b.example` or `Name <a@b.example>`). */
  to: string[];
  subject: string;
  /** The plain-text part, complete on its own (text-only clients, link filters). */
  text: string;
  /** Optional HTML part with the same words; the mail is then multipart/alternative. */
  html?: string;
  replyTo?: string;
}

/**
 * Sends notification mails. Every implementation passes the suite in `./contract.ts`: RFC 5322
 * messages with From, Date and Message-ID, UTF-8 headers, multipart/alternative with a real
 * text/plain part when there is HTML.
 */
export interface Mailer {
  /**
   * Sends (or, for the outbox, writes) one mail. Resolves once the SMTP server accepted it for at
   * least one recipient (refused recipients among several are logged, not thrown: a retry would
   * send the others the mail twice).
   * @throws {TypeError} for a mail without recipients or with line breaks in an address.
   * @throws {MailDeliveryError} when the server refuses the mail or cannot be reached.
   */
  send(mail: OutgoingMail): Promise<void>;
  /** Closes connections; waits for nothing in flight beyond what close allows. Never throws. */
  close(): Promise<void>;
}

/**
 * The mail was not delivered. The message names the SMTP reply (addresses masked, so the error
 * can be logged) and never the mail's content.
 */
export class MailDeliveryError extends Error {
  readonly code = 'ERR_MAIL_DELIVERY';
  /** Nodemailer's classification: `EENVELOPE`, `EMESSAGE`, `EAUTH`, `ECONNECTION`, `ETIMEDOUT`, … */
  readonly reason: string | undefined;
  /** The SMTP reply code, e.g. 550, when the server answered. */
  readonly responseCode: number | undefined;
  /** A 5xx reply or failed authentication: retrying the same mail will fail again. */
  readonly permanent: boolean;
  constructor(message: string, details: { reason?: string; responseCode?: number } = {}) {
    super(message);
    this.name = 'MailDeliveryError';
    this.reason = details.reason;
    this.responseCode = details.responseCode;
    this.permanent = (details.responseCode ?? 0) >= 500 || details.reason === 'EAUTH';
  }
}
