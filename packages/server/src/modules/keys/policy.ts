import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { KeyOwner } from './service.ts';
import { keySlot } from './service.ts';

/**
 * Whose personal key a request speaks for: a staff member (session or staff API token) or a
 * service account (session). Routes declare `['account', 'staff']`; this picks the one.
 * @throws {AppError} ERR_UNAUTHENTICATED when neither is signed in
 */
export function keyOwnerOf(request: FastifyRequest): KeyOwner {
  if (request.auth !== undefined) return { kind: 'staff', id: request.auth.staff.id };
  const account = request.session?.account;
  if (account !== undefined) return { kind: 'account', id: account.id };
  throw new AppError('ERR_UNAUTHENTICATED');
}

/** Where this session's browser keeps the unlocked key (see keySlot). */
export function keySlotOf(request: FastifyRequest, owner: KeyOwner): string {
  return keySlot(request.session?.idHash, owner);
}
