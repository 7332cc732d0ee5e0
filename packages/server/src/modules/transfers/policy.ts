import type { FastifyRequest } from 'fastify';
import { DAY } from '../../adapters/clock.ts';
import type { Tenant } from '../tenants/index.ts';
import type { RecipientAccess } from './recipients.ts';

const GiB = 1024 ** 3;

/**
 * What a tenant allows for outgoing transfers. Stored in `tenants.settings.transfers`; any key
 * the tenant has not set takes the default here. The defaults follow what authorities get from
 * FTAPI today: 20 GiB per transfer, 60 days' availability, one year at most.
 */
export interface TransferPolicy {
  /** Largest single file, in bytes. */
  maxFileSize: number;
  /** Most files in one transfer. */
  maxFiles: number;
  /** Largest sum of file sizes in one transfer, in bytes. */
  maxTotalSize: number;
  /** Expiry offered when the sender chooses none, in days. */
  defaultExpiryDays: number;
  /** Longest expiry a sender may choose or extend to, in days (at most 365). */
  maxExpiryDays: number;
  /** How long an ended transfer stays in the sender's outbox as metadata, in days. */
  metadataRetentionDays: number;
}

export const DEFAULT_TRANSFER_POLICY: TransferPolicy = {
  maxFileSize: 20 * GiB,
  maxFiles: 100,
  maxTotalSize: 20 * GiB,
  defaultExpiryDays: 60,
  maxExpiryDays: 365,
  metadataRetentionDays: 90,
};

/** An unfinished draft's uploads are abandoned after this long. */
export const DRAFT_LIFETIME_MS = 2 * DAY;

function positiveInt(v: unknown, fallback: number, max: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? Math.min(v, max) : fallback;
}

export function transferPolicy(tenant: Pick<Tenant, 'settings'>): TransferPolicy {
  const raw = (tenant.settings as { transfers?: Record<string, unknown> }).transfers ?? {};
  const d = DEFAULT_TRANSFER_POLICY;
  const maxExpiryDays = positiveInt(raw.maxExpiryDays, d.maxExpiryDays, 365);
  return {
    maxFileSize: positiveInt(raw.maxFileSize, d.maxFileSize, Number.MAX_SAFE_INTEGER),
    maxFiles: positiveInt(raw.maxFiles, d.maxFiles, 10_000),
    maxTotalSize: positiveInt(raw.maxTotalSize, d.maxTotalSize, Number.MAX_SAFE_INTEGER),
    defaultExpiryDays: Math.min(positiveInt(raw.defaultExpiryDays, d.defaultExpiryDays, 365), maxExpiryDays),
    maxExpiryDays,
    metadataRetentionDays: positiveInt(raw.metadataRetentionDays, d.metadataRetentionDays, 3650),
  };
}

// ---- Record-level checks of the recipient's side: who may open what behind a link ----------

/** The citizen signed in on this browser, if any: who a level-2+ link opens for. */
export function linkAccountOf(request: FastifyRequest): LinkAccount | undefined {
  return request.session?.account;
}

/** The citizen behind a session or a personal API token (read-only routes), if any. */
export function readerAccountOf(request: FastifyRequest): LinkAccount | undefined {
  return request.session?.account ?? request.accountToken?.account;
}

interface LinkAccount {
  id: string;
  email: string;
}

function isTheRecipient(account: LinkAccount, access: RecipientAccess): boolean {
  return access.accountId === account.id || (access.accountId === null && account.email === access.email);
}

/**
 * Whether the request may see the transfer behind a link. Level 1: the link is enough. Level 2:
 * only the account that proved the recipient's address, so a forwarded link opens nothing.
 */
export function mayOpen(request: FastifyRequest, access: RecipientAccess): boolean {
  // An answer to a password drop-off: the sender has no account and gets none; the password
  // they chose opens the content in their browser, so the link leads to the password form.
  if (access.transfer.level === 1 || access.transfer.e2e === 'password') return true;
  const account = linkAccountOf(request);
  return account !== undefined && isTheRecipient(account, access);
}

/**
 * For the read-only routes (the JSON manifest, file and ZIP downloads): what {@link mayOpen}
 * allows, and also the recipient's account by its personal API token (`amtsbote fetch --token`).
 * A token of any other account, or a staff token, gets the same answer as an unknown link.
 */
export function mayRead(request: FastifyRequest, access: RecipientAccess): boolean {
  if (mayOpen(request, access)) return true;
  const account = request.accountToken?.account;
  return account !== undefined && isTheRecipient(account, access);
}

/** Who a download is recorded for: the account behind a token, else the link's recipient. */
export function downloadActor(
  request: FastifyRequest,
  access: RecipientAccess,
): { kind: 'account' | 'guest'; id: string } {
  const viaToken = request.accountToken?.account;
  return viaToken === undefined
    ? { kind: 'guest', id: access.recipientId }
    : { kind: 'account', id: viaToken.id };
}

/** A staff member's draft takes uploads from its sender only (by session or staff API token). */
export function isDraftSender(request: FastifyRequest, senderStaffId: string): boolean {
  return request.auth?.staff.id === senderStaffId;
}
