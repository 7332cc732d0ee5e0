import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { organisationMemberMayUpload } from '../organisations/index.ts';
import { mayOpen, mayRead, readerAccountOf } from './policy.ts';
import type { RecipientAccess } from './recipients.ts';
import { resolveRecipientLink } from './recipients.ts';
import { bindRecipientAccount } from './store/recipients.ts';

// The recipient link routes' gate: every unknown, tampered, expired or revoked link, and every
// link the caller may not open, answers the same ERR_LINK_INVALID.

type Deps = Pick<AppDeps, 'db' | 'clock'>;

/** `a***@example.org`: enough for the owner to recognise, too little for a finder to use. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * The recipient behind a live link, whoever asks.
 * @throws {AppError} ERR_LINK_INVALID
 */
export async function linkAccess(
  deps: Deps,
  request: FastifyRequest,
  token: string,
): Promise<RecipientAccess> {
  const access = await resolveRecipientLink(deps, request.tenant.id, token);
  if (access === undefined) throw new AppError('ERR_LINK_INVALID');
  return access;
}

/**
 * From level 2 a link belongs to the account that opened it first (by session or token): binds
 * it when it is still unbound.
 */
export async function bindLinkAccount(
  deps: Deps,
  request: FastifyRequest,
  access: RecipientAccess,
): Promise<void> {
  const account = readerAccountOf(request);
  if (access.transfer.level >= 2 && access.accountId === null && account !== undefined)
    await bindRecipientAccount(deps.db, request.tenant.id, access.recipientId, account.id);
}

/**
 * A link the caller may open (the pages and replies), bound to their account.
 * @throws {AppError} ERR_LINK_INVALID
 */
export async function openableLink(
  deps: Deps,
  request: FastifyRequest,
  token: string,
): Promise<RecipientAccess> {
  const access = await linkAccess(deps, request, token);
  if (!mayOpen(request, access)) throw new AppError('ERR_LINK_INVALID');
  await bindLinkAccount(deps, request, access);
  return access;
}

/**
 * A link the caller may read (manifest and downloads, also by personal API token), bound.
 * @throws {AppError} ERR_LINK_INVALID
 */
export async function readableLink(
  deps: Deps,
  request: FastifyRequest,
  token: string,
): Promise<RecipientAccess> {
  const access = await linkAccess(deps, request, token);
  if (!mayRead(request, access)) throw new AppError('ERR_LINK_INVALID');
  await bindLinkAccount(deps, request, access);
  return access;
}

/**
 * For the upload endpoint: may this request write to a reply draft of the recipient behind the
 * link in the `Amtsbote-Link` header?
 */
export async function recipientMayUpload(
  deps: AppDeps,
  request: FastifyRequest,
  senderRecipientId: string,
): Promise<boolean> {
  const token = request.headers['amtsbote-link'];
  // A reply in an organisation's name: any member of the organisation may upload to it.
  if (typeof token !== 'string') return organisationMemberMayUpload(deps, request, senderRecipientId);
  const access = await resolveRecipientLink(deps, request.tenant.id, token);
  return access?.recipientId === senderRecipientId && mayOpen(request, access);
}
