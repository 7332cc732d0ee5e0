import type { Locale } from '@amtsbote/contracts';
import { linkMail, mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { AppError } from '../../errors.ts';
import { passwordEnvelopeBytes, storePasswordEnvelope } from './store/transfer-rows.ts';

// Transfers end-to-end encrypted to a password (docs/inbound.md, "Answering to the same
// password"): a caseworker's answer to a password drop-off. The sender's browser wrapped the
// file key under Argon2id of the password the citizen chose (type P envelope, docs/crypto.md);
// the server keeps that envelope with the transfer and can open nothing of it.

/** A well-formed type-P envelope: "AMTB", "P", version 1, 79 bytes (docs/crypto.md). */
export function isPasswordEnvelope(bytes: Uint8Array): boolean {
  return (
    bytes.length === 79 &&
    bytes[0] === 0x41 &&
    bytes[1] === 0x4d &&
    bytes[2] === 0x54 &&
    bytes[3] === 0x42 &&
    bytes[4] === 0x50 &&
    bytes[5] === 1
  );
}

/**
 * Called by sendDraft inside its transaction instead of sealEndToEnd: the envelope must be a
 * P envelope; it is stored with the transfer, and the files are marked "not scanned
 * (end-to-end encrypted)".
 * @throws {AppError} ERR_VALIDATION (field `envelope`) when it is missing or malformed.
 */
export async function sealToPassword(
  tx: Queryable,
  tenantId: string,
  transferId: string,
  envelope: Uint8Array | undefined,
): Promise<void> {
  if (envelope === undefined || !isPasswordEnvelope(envelope))
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'envelope', code: 'ERR_VALIDATION' }] });
  await storePasswordEnvelope(tx, tenantId, transferId, envelope);
}

/**
 * Tells the sender of a password drop-off that the answer waits for them. Like every
 * notification: no subject, text or file name, and of course no password — only that the
 * password they chose themselves opens it.
 */
export function passwordAnswerMail(
  to: string,
  lang: Locale,
  p: { senderName: string; tenantName: string; expiresAt: Date; link: string },
): OutgoingMail {
  const m = mailMessages(lang);
  const t = m.passwordAnswer;
  return {
    to: [to],
    ...linkMail(lang, {
      subject: t.subject(p.tenantName),
      greeting: m.greeting,
      lines: t.lines(p.senderName, p.tenantName, p.expiresAt),
      link: p.link,
      linkLabel: t.linkLabel,
      footer: t.footer,
    }),
  };
}

/** The P envelope of a password transfer, base64url, for the page that asks for the password. */
export async function passwordEnvelopeOf(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<string | undefined> {
  const bytes = await passwordEnvelopeBytes(q, tenantId, transferId);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('base64url');
}
