import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { DAY } from '../../adapters/clock.ts';
import type { AppDeps } from '../../deps.ts';
import type { FieldProblem } from '../../errors.ts';
import { AppError } from '../../errors.ts';
import { sealText } from '../../at-rest.ts';
import { normaliseEmail } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import { transferPolicy } from './policy.ts';
import { contentKeyContext, fileKeyContext, textContext } from './keys.ts';

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
    await tx.query(
      `INSERT INTO transfers (tenant_id, id, thread_id, in_reply_to, level, status, sender_staff_id, sender_recipient_id, to_staff_id,
         content_key, subject, message, notify_on_download, allow_reply, file_count, total_size, created_at, expires_at,
         to_department_id, upload_link_id, inbound, reference, e2e, e2e_message, department_key_id)
       VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`,
      [
        tenant.id,
        id,
        composer.kind === 'guest' ? id : (composer.threadId ?? id),
        composer.kind === 'guest' ? null : (composer.inReplyTo ?? null),
        input.level,
        composer.kind === 'staff' ? composer.staffId : null,
        composer.kind === 'recipient' ? composer.recipientId : null,
        composer.kind === 'staff' ? null : composer.toStaffId,
        content.wrapped,
        sealText(content.key, input.subject, textContext(id, 'subject')),
        sealText(content.key, input.message, textContext(id, 'message')),
        input.notifyOnDownload,
        input.allowReply,
        files.length,
        files.reduce((s, f) => s + f.size, 0),
        now,
        // A draft keeps the chosen duration here; sending starts the clock (see sendDraft).
        new Date(now.getTime() + days * DAY),
        composer.kind === 'guest' ? composer.toDepartmentId : null,
        composer.kind === 'guest' ? composer.uploadLinkId : null,
        composer.kind === 'guest' ? composer.inbound : null,
        input.reference === undefined || input.reference === ''
          ? null
          : sealText(content.key, input.reference, textContext(id, 'reference')),
        composer.kind === 'guest' ? (composer.e2e?.kind ?? null) : null,
        composer.kind === 'guest' && composer.e2e?.message === true,
        composer.kind === 'guest' ? (composer.e2e?.departmentKeyId ?? null) : null,
      ],
    );
    if (composer.kind === 'guest') {
      const g = composer.guest;
      await tx.query(
        `INSERT INTO transfer_guests (tenant_id, transfer_id, email, name, phone, locale, verified, addressed_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          tenant.id,
          id,
          normaliseEmail(g.email),
          sealText(content.key, g.name, textContext(id, 'guest-name')),
          g.phone === null ? null : sealText(content.key, g.phone, textContext(id, 'guest-phone')),
          g.locale,
          g.verified,
          g.addressedTo ?? null,
        ],
      );
    }
    for (const [position, f] of files.entries()) {
      const fileKey = deps.keyring.newDataKey(fileKeyContext(tenant.id, f.id));
      await tx.query(
        `INSERT INTO transfer_files (tenant_id, id, transfer_id, position, name, media_type, size, file_key, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          tenant.id,
          f.id,
          id,
          position,
          sealText(content.key, f.name, textContext(f.id, 'name')),
          sealText(
            content.key,
            f.type === '' ? 'application/octet-stream' : f.type,
            textContext(f.id, 'type'),
          ),
          f.size,
          fileKey.wrapped,
          // An empty file has nothing to upload: it is complete as declared.
          f.size === 0 ? now : null,
        ],
      );
    }
    // Staff address e-mail recipients; a reply goes to the sender's postbox instead.
    if (composer.kind === 'staff') {
      for (const email of recipients) {
        // An organisation's contact address (exactly one organisation) addresses its postbox.
        await tx.query(
          `INSERT INTO transfer_recipients (tenant_id, id, transfer_id, email, locale, organisation_id)
           SELECT $1, $2, $3, $4, $5, (SELECT CASE WHEN count(*) = 1 THEN (array_agg(o.id))[1] END FROM organisations o WHERE o.tenant_id = $1 AND o.contact_email = $4)`,
          [tenant.id, deps.secrets.id(), id, email, tenant.settings.defaultLocale ?? 'de'],
        );
      }
    }
  });
  return { id, files: files.map(({ id: fid, name, size }) => ({ id: fid, name, size })) };
}

/** The draft a file belongs to, when `composer` may upload to it; undefined otherwise. */
export async function uploadableFile(
  q: Queryable,
  tenantId: string,
  fileId: string,
): Promise<
  | {
      transferId: string;
      size: number;
      received: number;
      senderStaffId: string | null;
      senderRecipientId: string | null;
    }
  | undefined
> {
  return one(
    q,
    `SELECT f.transfer_id AS "transferId", f.size, f.received, t.sender_staff_id AS "senderStaffId", t.sender_recipient_id AS "senderRecipientId"
     FROM transfer_files f JOIN transfers t ON t.tenant_id = f.tenant_id AND t.id = f.transfer_id
     WHERE f.tenant_id = $1 AND f.id = $2 AND t.status = 'draft'`,
    [tenantId, fileId],
  );
}
