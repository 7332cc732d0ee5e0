import type { FileTypeId } from '@amtsbote/contracts';
import { DAY } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import type { FieldProblem } from '../../errors.ts';
import { AppError } from '../../errors.ts';
import { tenantBaseUrl } from '../tenants/index.ts';
import { kickScan } from './scan.ts';
import { recordAudit } from '../audit/index.ts';
import type { Draft, FileDeclaration } from '../transfers/index.ts';
import {
  arrivalNotice,
  createDraft,
  deleteTransferRow,
  destroyContent,
  endTransfer,
  fileUploadRows,
  inboundDraftRow,
  loadTransferView,
  lockDraftTiming,
  lockTransferStatus,
  markInboundSent,
  queueForScan,
} from '../transfers/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { departmentStaffEmails } from './departments.ts';
import { FileTypeError, checkStoredFile } from './file-check.ts';
import { inboundArrivedMail, inboundReceivedMail } from './mails.ts';
import { inboundNumber } from './number.ts';
import { inboundPolicy } from './policy.ts';
import { insertPostboxItem } from './store/items.ts';

type Deps = AppDeps;

/** Where an incoming transfer goes and what it may carry. */
export interface InboundTarget {
  inbound: 'dropoff' | 'upload';
  departmentId: string;
  /** A caseworker addressed directly (drop-off), or null. */
  toStaffId: string | null;
  uploadLinkId: string | null;
  /** Whom the item is assigned to from the start (the caseworker who asked for the documents). */
  assignTo: string | null;
  allowedTypes: readonly FileTypeId[];
  /** Per file, at most (also bounded by the tenant's inbound policy). */
  maxFileSize: number;
  /** 2: staff of the department only; 3/4: end-to-end encrypted (files; files and text). */
  level: 2 | 3 | 4;
  e2e: 'password' | 'department' | null;
  departmentKeyId: string | null;
}

export interface Guest {
  email: string;
  name: string;
  phone: string | null;
  locale: 'de' | 'en';
  verified: boolean;
  addressedTo: string | null;
}

export interface InboundDraftInput {
  subject: string;
  reference: string;
  message: string;
  files: FileDeclaration[];
  expiresInDays: number | undefined;
  notify: boolean;
}

/**
 * Checks an incoming draft against the tenant's inbound policy and the target's limits, before
 * any byte is uploaded, so a file over the limit is refused at once.
 * @throws {AppError} ERR_FILE_TOO_LARGE, ERR_TOO_MANY_FILES, ERR_TRANSFER_TOO_LARGE, ERR_EXPIRY_TOO_LONG.
 */
export function checkInboundDraft(
  tenant: Tenant,
  target: Pick<InboundTarget, 'maxFileSize'>,
  input: Pick<InboundDraftInput, 'files' | 'expiresInDays'>,
): void {
  const policy = inboundPolicy(tenant);
  const maxFile = Math.min(policy.maxFileSize, target.maxFileSize);
  const problems: FieldProblem[] = [];
  if (input.files.length > policy.maxFiles) problems.push({ field: 'files', code: 'ERR_TOO_MANY_FILES' });
  input.files.forEach((f, i) => {
    if (f.size > maxFile) problems.push({ field: `files.${i}`, code: 'ERR_FILE_TOO_LARGE' });
  });
  if (input.files.reduce((s, f) => s + f.size, 0) > policy.maxTotalSize)
    problems.push({ field: 'files', code: 'ERR_TRANSFER_TOO_LARGE' });
  if (input.expiresInDays !== undefined && input.expiresInDays > policy.maxExpiryDays)
    problems.push({ field: 'expiresInDays', code: 'ERR_EXPIRY_TOO_LONG' });
  const first = problems[0];
  if (first !== undefined) throw new AppError(first.code, { fields: problems });
}

/**
 * Starts an incoming transfer as a draft addressed to the department; files follow through the
 * inbound upload endpoint.
 * @throws {AppError} see {@link checkInboundDraft}.
 */
export async function createInboundDraft(
  deps: Deps,
  tenant: Tenant,
  target: InboundTarget,
  guest: Guest,
  input: InboundDraftInput,
  e2eMessage: boolean,
): Promise<Draft> {
  checkInboundDraft(tenant, target, input);
  const policy = inboundPolicy(tenant);
  return createDraft(
    deps,
    tenant,
    {
      kind: 'guest',
      inbound: target.inbound,
      toDepartmentId: target.departmentId,
      toStaffId: target.toStaffId,
      uploadLinkId: target.uploadLinkId,
      guest,
      e2e:
        target.e2e === null
          ? null
          : { kind: target.e2e, message: e2eMessage, departmentKeyId: target.departmentKeyId },
    },
    {
      level: target.level,
      recipients: [],
      subject: input.subject,
      reference: input.reference,
      message: input.message,
      expiresInDays: input.expiresInDays ?? policy.defaultExpiryDays,
      notifyOnDownload: input.notify,
      allowReply: false,
      files: input.files,
    },
  );
}

/** Removes a draft and its content at once (a refused file leaves nothing behind). */
export async function discardDraft(
  deps: Pick<Deps, 'db' | 'blobs' | 'clock'>,
  tenantId: string,
  id: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if ((await lockTransferStatus(tx, tenantId, id)) !== 'draft') return;
    await endTransfer(tx, deps, tenantId, id, 'expired');
    await deleteTransferRow(tx, tenantId, id);
  });
  await destroyContent(deps, tenantId, id);
}

export interface Submitted {
  id: string;
  number: string;
  expiresAt: Date;
}

/** A well-formed envelope object of the expected type (docs/crypto.md): P 79 bytes, E 87 bytes. */
export function isEnvelope(bytes: Uint8Array, kind: 'password' | 'department'): boolean {
  const [type, length] = kind === 'password' ? [0x50, 79] : [0x45, 87];
  return (
    bytes.length === length &&
    bytes[0] === 0x41 &&
    bytes[1] === 0x4d &&
    bytes[2] === 0x54 &&
    bytes[3] === 0x42 &&
    bytes[4] === type &&
    bytes[5] === 1
  );
}

/**
 * Delivers an incoming draft to the department's postbox: every file must be complete and — when
 * the server can see it — of an allowed type by its content (else the whole draft is discarded,
 * nothing half-stored stays); the files wait for the malware scan; staff and sender are told.
 * Idempotent: submitting the same draft again returns the same transfer.
 * @param inTx - runs inside the delivering transaction (an upload link counts its use there).
 * @throws {AppError} ERR_NOT_FOUND, ERR_TRANSFER_INCOMPLETE, ERR_FILE_TYPE_NOT_ALLOWED (FileTypeError), ERR_VALIDATION (envelope).
 */
export async function submitInbound(
  deps: Deps,
  tenant: Tenant,
  target: InboundTarget,
  draftId: string,
  opts: {
    envelope: Uint8Array | undefined;
    ipPrefix: string | undefined;
    inTx?: (tx: Queryable) => Promise<void>;
  },
): Promise<Submitted> {
  const row = await inboundDraftRow(deps.db, tenant.id, draftId);
  if (
    row?.inbound == null ||
    row.to_department_id !== target.departmentId ||
    row.upload_link_id !== target.uploadLinkId
  )
    throw new AppError('ERR_NOT_FOUND');
  if (row.status === 'sent')
    return { id: draftId, number: inboundNumber(draftId), expiresAt: row.expires_at };
  if (row.status !== 'draft') throw new AppError('ERR_NOT_FOUND');
  const files = await fileUploadRows(deps.db, tenant.id, draftId);
  if (files.some((f) => f.completed_at === null)) throw new AppError('ERR_TRANSFER_INCOMPLETE');
  if (target.e2e !== null && (opts.envelope === undefined || !isEnvelope(opts.envelope, target.e2e))) {
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'envelope', code: 'ERR_VALIDATION' }] });
  }
  if (target.e2e === null) {
    const view = await loadTransferView(deps, tenant.id, draftId);
    for (const f of view?.files ?? []) {
      try {
        await checkStoredFile(deps, tenant.id, f, target.allowedTypes);
      } catch (err) {
        if (err instanceof FileTypeError) await discardDraft(deps, tenant.id, draftId);
        throw err;
      }
    }
  }
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx) => {
    const locked = await lockDraftTiming(tx, tenant.id, draftId);
    if (locked === undefined) throw new AppError('ERR_NOT_FOUND');
    if (locked.status === 'sent')
      return {
        submitted: { id: draftId, number: inboundNumber(draftId), expiresAt: locked.expires_at },
        fresh: false,
      };
    if (locked.status !== 'draft') throw new AppError('ERR_NOT_FOUND');
    await opts.inTx?.(tx);
    const expiresAt = new Date(
      now.getTime() + Math.max(DAY, locked.expires_at.getTime() - locked.created_at.getTime()),
    );
    await markInboundSent(tx, tenant.id, draftId, now, expiresAt, opts.envelope);
    await queueForScan(tx, deps, tenant.id, draftId, { e2e: target.e2e !== null });
    await insertPostboxItem(tx, tenant.id, draftId, target.assignTo ?? target.toStaffId);
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: { kind: 'guest' },
      action: target.inbound === 'dropoff' ? 'dropoff.received' : 'upload.received',
      subject: { kind: 'transfer', id: draftId },
      ipPrefix: opts.ipPrefix,
      details: { files: files.length, level: target.level, e2e: target.e2e ?? 'none' },
    });
    return { submitted: { id: draftId, number: inboundNumber(draftId), expiresAt }, fresh: true };
  });
  if (result.fresh) {
    kickScan(deps);
    await notifyArrival(deps, tenant, target, result.submitted);
  }
  return result.submitted;
}

/** Mails after delivery: the department's staff (or the addressed caseworker) and the sender. */
async function notifyArrival(deps: Deps, tenant: Tenant, target: InboundTarget, s: Submitted): Promise<void> {
  const info = await arrivalNotice(deps.db, tenant.id, s.id);
  if (info === undefined) return;
  const lang = tenant.settings.defaultLocale ?? 'de';
  const link = `${tenantBaseUrl(tenant, deps.config)}/inbox/${s.id}`;
  // Addressed to a caseworker: only they are told (the department still sees it in its postbox).
  const staff =
    info.staff_email !== null
      ? [info.staff_email]
      : await departmentStaffEmails(deps.db, tenant.id, target.departmentId);
  const mails = staff.map((to) =>
    inboundArrivedMail(to, lang, {
      department: info.department,
      tenantName: tenant.name,
      kind: target.inbound,
      link,
    }),
  );
  if (info.guest_email !== null) {
    mails.push(
      inboundReceivedMail(info.guest_email, info.guest_locale ?? lang, {
        department: info.department,
        tenantName: tenant.name,
        number: s.number,
        expiresAt: s.expiresAt,
        notify: info.notify,
      }),
    );
  }
  for (const m of mails) {
    await deps.mailer.send(m).catch((err: unknown) => {
      deps.logger.warn({ err, transfer: s.id }, 'arrival notice not sent');
    });
  }
}
