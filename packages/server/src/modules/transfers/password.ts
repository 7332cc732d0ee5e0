import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { AppError } from '../../errors.ts';
import { linkMail } from '../auth/mails.ts';

// Transfers end-to-end encrypted to a password (docs/inbound.md, "Answering to the same
// password"): a caseworker's answer to a password drop-off. The sender's browser wrapped the
// file key under Argon2id of the password the citizen chose (type P envelope, docs/crypto.md);
// the server keeps that envelope with the transfer and can open nothing of it.

type Lang = 'de' | 'en';

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
  await tx.query(
    `UPDATE transfers SET e2e_envelope = $3, e2e_message = true WHERE tenant_id = $1 AND id = $2`,
    [tenantId, transferId, Buffer.from(envelope)],
  );
  await tx.query(`UPDATE transfer_files SET scan_status = 'e2e' WHERE tenant_id = $1 AND transfer_id = $2`, [
    tenantId,
    transferId,
  ]);
}

/**
 * Tells the sender of a password drop-off that the answer waits for them. Like every
 * notification: no subject, text or file name, and of course no password — only that the
 * password they chose themselves opens it.
 */
export function passwordAnswerMail(
  to: string,
  lang: Lang,
  p: { senderName: string; tenantName: string; expiresAt: Date; link: string },
): OutgoingMail {
  const until = p.expiresAt.toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Berlin',
  });
  return lang === 'de'
    ? linkMail(to, lang, {
        subject: `Antwort auf Ihre Nachricht an ${p.tenantName}`,
        greeting: 'Guten Tag,',
        lines: [
          `${p.senderName} (${p.tenantName}) hat auf Ihre vertrauliche Nachricht geantwortet.`,
          'Die Antwort ist mit dem Passwort verschlüsselt, das Sie beim Senden Ihrer Nachricht selbst gewählt haben. Sie öffnen sie über den Link mit diesem Passwort.',
          `Die Antwort ist bis zum ${until} abrufbar. Danach wird sie gelöscht.`,
        ],
        link: p.link,
        linkLabel: 'Antwort öffnen',
        footer: 'Diese E-Mail enthält keine Inhalte und kein Passwort. Geben Sie den Link nicht weiter.',
      })
    : linkMail(to, lang, {
        subject: `Reply to your message to ${p.tenantName}`,
        greeting: 'Hello,',
        lines: [
          `${p.senderName} (${p.tenantName}) has replied to your confidential message.`,
          'The reply is encrypted with the password you chose yourself when you sent your message. Open it with the link and that password.',
          `The reply is available until ${until}. After that it is deleted.`,
        ],
        link: p.link,
        linkLabel: 'Open the reply',
        footer: 'This e-mail contains no content and no password. Do not pass the link on.',
      });
}

/** The P envelope of a password transfer, base64url, for the page that asks for the password. */
export async function passwordEnvelopeOf(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<string | undefined> {
  const rows = await q.query<{ e2e_envelope: Uint8Array | null }>(
    `SELECT e2e_envelope FROM transfers WHERE tenant_id = $1 AND id = $2 AND e2e = 'password'`,
    [tenantId, transferId],
  );
  const bytes = rows[0]?.e2e_envelope;
  return bytes == null ? undefined : Buffer.from(bytes).toString('base64url');
}
