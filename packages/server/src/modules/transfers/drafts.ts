import { DAY } from '../../adapters/clock.ts';
import type { AppDeps } from '../../deps.ts';
import type { FieldProblem } from '../../errors.ts';
import { AppError } from '../../errors.ts';
import { sealText } from '../../at-rest.ts';
import { normaliseEmail } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { transferPolicy } from './policy.ts';
import { contentKeyContext, fileKeyContext, textContext } from './keys.ts';
import { insertDraftFile, insertDraftTransfer, insertGuest, insertRecipient } from './store/drafts.ts';

export type TransferLevel = 1 | 2;

export interface FileDeclaration {
  name: string;
  size: number;
  type: string;
}

export interface DraftInput {
  /** 1–2 for staff and replies; 2–4 for what arrives in a department postbox (3/4: end-to-end). */
  level: TransferLevel | 3 | 4;
  /** A file number or reference the sender gives (inbound), sealed like the subject. */
  reference?: string | undefined;
  recipients: string[];
  subject: string;
  message: string;
  expiresInDays?: number | undefined;
  notifyOnDownload: boolean;
  allowReply: boolean;
  files: FileDeclaration[];
}

/** Who composes: a staff member sending, or a recipient replying to a transfer they received. */
export type Composer =
  | { kind: 'staff'; staffId: string; threadId?: string | undefined; inReplyTo?: string | undefined }
  | { kind: 'recipient'; recipientId: string; toStaffId: string; threadId: string; inReplyTo: string }
  | GuestComposer;

/**
 * A sender without an account (drop-off, upload link): the transfer goes to a department's
 * postbox (and, when addressed directly, a caseworker); the contact data live with the transfer.
 */
export interface GuestComposer {
  kind: 'guest';
  inbound: 'dropoff' | 'upload';
  toDepartmentId: string | null;
  toStaffId: string | null;
  uploadLinkId: string | null;
  guest: {
    email: string;
    name: string;
    phone: string | null;
    locale: 'de' | 'en';
    verified: boolean;
    addressedTo?: string | null | undefined;
  };
  /** End-to-end encrypted in the sender's browser: to a password or to the department's key. */
  e2e: { kind: 'password' | 'department'; message: boolean; departmentKeyId: string | null } | null;
}

export interface Draft {
  id: string;
  files: { id: string; name: string; size: number }[];
}

const MAX_RECIPIENTS = 50;

/**
 * Checks a draft against the tenant's limits before a single byte is uploaded, so a file that
 * is too large is refused with a message naming it instead of failing after an hour's upload.
 * @throws {AppError} with field problems: ERR_FILE_TOO_LARGE, ERR_TOO_MANY_FILES,
 *   ERR_TRANSFER_TOO_LARGE, ERR_EXPIRY_TOO_LONG, ERR_VALIDATION.
 */
export function checkDraft(tenant: Tenant, input: DraftInput, needsRecipients: boolean): void {
  const policy = transferPolicy(tenant);
  const problems: FieldProblem[] = [];
  if (input.files.length > policy.maxFiles) problems.push({ field: 'files', code: 'ERR_TOO_MANY_FILES' });
  input.files.forEach((f, i) => {
    if (f.size > policy.maxFileSize) problems.push({ field: `files.${i}`, code: 'ERR_FILE_TOO_LARGE' });
  });
  const total = input.files.reduce((sum, f) => sum + f.size, 0);
  if (total > policy.maxTotalSize) problems.push({ field: 'files', code: 'ERR_TRANSFER_TOO_LARGE' });
  if (input.expiresInDays !== undefined && input.expiresInDays > policy.maxExpiryDays) {
    problems.push({ field: 'expiresInDays', code: 'ERR_EXPIRY_TOO_LONG' });
  }
  const unique = new Set(input.recipients.map(normaliseEmail));
  if ((needsRecipients && unique.size === 0) || unique.size > MAX_RECIPIENTS)
    problems.push({ field: 'recipients', code: 'ERR_VALIDATION' });
  const first = problems[0];
  if (first !== undefined) throw new AppError(first.code, { fields: problems });
}

/**
 * Creates a draft transfer with its declared files; content arrives afterwards through the
 * resumable upload endpoint, one upload per file. Subject, text and file names are sealed
 * under a fresh content key at once, so not even a draft holds them in plaintext.
 * @throws {AppError} see {@link checkDraft}.
 */
export async function createDraft(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>,
  tenant: Tenant,
  composer: Composer,
  input: DraftInput,
): Promise<Draft> {
  checkDraft(tenant, input, composer.kind === 'staff');
  const policy = transferPolicy(tenant);
  const id = deps.secrets.id();
  const now = deps.clock.now();
  const content = deps.keyring.newDataKey(contentKeyContext(tenant.id, id));
  const days = input.expiresInDays ?? policy.defaultExpiryDays;
  const files = input.files.map((f) => ({ ...f, id: deps.secrets.id() }));
  const recipients = [...new Set(input.recipients.map(normaliseEmail))];
  await deps.db.transaction(async (tx) => {
    const guest = composer.kind === 'guest' ? composer : undefined;
    await insertDraftTransfer(tx, tenant.id, {
      id,
      threadId: composer.kind === 'guest' ? id : (composer.threadId ?? id),
      inReplyTo: composer.kind === 'guest' ? null : (composer.inReplyTo ?? null),
      level: input.level,
      senderStaffId: composer.kind === 'staff' ? composer.staffId : null,
      senderRecipientId: composer.kind === 'recipient' ? composer.recipientId : null,
      toStaffId: composer.kind === 'staff' ? null : composer.toStaffId,
      contentKey: content.wrapped,
      subject: sealText(content.key, input.subject, textContext(id, 'subject')),
      message: sealText(content.key, input.message, textContext(id, 'message')),
      notifyOnDownload: input.notifyOnDownload,
      allowReply: input.allowReply,
      fileCount: files.length,
      totalSize: files.reduce((s, f) => s + f.size, 0),
      createdAt: now,
      // A draft keeps the chosen duration here; sending starts the clock (see sendDraft).
      expiresAt: new Date(now.getTime() + days * DAY),
      toDepartmentId: guest?.toDepartmentId ?? null,
      uploadLinkId: guest?.uploadLinkId ?? null,
      inbound: guest?.inbound ?? null,
      reference:
        input.reference === undefined || input.reference === ''
          ? null
          : sealText(content.key, input.reference, textContext(id, 'reference')),
      e2e: guest?.e2e?.kind ?? null,
      e2eMessage: guest?.e2e?.message === true,
      departmentKeyId: guest?.e2e?.departmentKeyId ?? null,
    });
    if (guest !== undefined) {
      const g = guest.guest;
      await insertGuest(tx, tenant.id, id, {
        email: normaliseEmail(g.email),
        name: sealText(content.key, g.name, textContext(id, 'guest-name')),
        phone: g.phone === null ? null : sealText(content.key, g.phone, textContext(id, 'guest-phone')),
        locale: g.locale,
        verified: g.verified,
        addressedTo: g.addressedTo ?? null,
      });
    }
    for (const [position, f] of files.entries()) {
      const fileKey = deps.keyring.newDataKey(fileKeyContext(tenant.id, f.id));
      await insertDraftFile(tx, tenant.id, {
        id: f.id,
        transferId: id,
        position,
        name: sealText(content.key, f.name, textContext(f.id, 'name')),
        mediaType: sealText(
          content.key,
          f.type === '' ? 'application/octet-stream' : f.type,
          textContext(f.id, 'type'),
        ),
        size: f.size,
        fileKey: fileKey.wrapped,
        // An empty file has nothing to upload: it is complete as declared.
        completedAt: f.size === 0 ? now : null,
      });
    }
    // Staff address e-mail recipients; a reply goes to the sender's postbox instead.
    if (composer.kind === 'staff') {
      for (const email of recipients) {
        await insertRecipient(tx, tenant.id, {
          id: deps.secrets.id(),
          transferId: id,
          email,
          locale: tenant.settings.defaultLocale ?? 'de',
        });
      }
    }
  });
  return { id, files: files.map(({ id: fid, name, size }) => ({ id: fid, name, size })) };
}

export { uploadableFile } from './store/drafts.ts';
