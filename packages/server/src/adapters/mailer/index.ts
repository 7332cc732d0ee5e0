import path from 'node:path';
import type { Logger } from '../../log.ts';
import { OutboxMailer } from './outbox.ts';
import { SmtpMailer } from './smtp.ts';
import type { Mailer } from './types.ts';

export type { Mailer, OutgoingMail } from './types.ts';
export { MailDeliveryError } from './types.ts';
export { OutboxMailer } from './outbox.ts';
export { SmtpMailer, parseSmtpUrl } from './smtp.ts';
export { extractLinks } from './compose.ts';

export interface MailerConfig {
  /** SMTP_URL; absent: the outbox. */
  smtpUrl: string | undefined;
  /** The outbox is DATA_DIR/outbox. */
  dataDir: string;
  from: string;
  logger: Logger;
  /** Print each outbox mail's links to the console (the embedded default). */
  printLinks: boolean;
  announce?: (line: string) => void;
}

/**
 * SMTP when SMTP_URL is set, else `.eml` files in DATA_DIR/outbox.
 * @throws {ConfigError} for a malformed SMTP_URL.
 */
export function mailerFromConfig(config: MailerConfig): Mailer {
  if (config.smtpUrl !== undefined && config.smtpUrl.trim() !== '') {
    return new SmtpMailer({ url: config.smtpUrl, from: config.from, logger: config.logger });
  }
  return new OutboxMailer({
    dir: path.join(config.dataDir, 'outbox'),
    from: config.from,
    logger: config.logger,
    printLinks: config.printLinks,
    ...(config.announce === undefined ? {} : { announce: config.announce }),
  });
}
