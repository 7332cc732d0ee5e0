import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import type { Contact } from '../sessions.ts';
import { startSession } from '../sessions.ts';
import { browserSession, sendSessionCode } from './session-code.ts';

/** Where the session's transfer goes, as the contact step decided it. */
export interface SessionDestination {
  departmentId: string | null;
  toStaffId: string | null;
  addressedTo: string | null;
  uploadLinkId: string | null;
  /** Drop-off and upload links from level 2 confirm the address with a mailed code. */
  needsCode: boolean;
}

/**
 * Starts the sender's inbound session, bound to this browser's session (a new one if it has
 * none), and mails the code when one is needed.
 * @returns where the sender goes next: the code page, or the message form at once.
 * @throws {AppError} ERR_RATE_LIMITED when this network asked for too many codes (the session
 *   exists then, unconfirmed, and expires on its own)
 */
export async function startInboundSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  destination: SessionDestination,
  sender: { email: string; contact: Contact },
): Promise<string> {
  const browserHash = await browserSession(deps, request, reply);
  const id = await startSession(deps, request.tenant.id, {
    departmentId: destination.departmentId,
    toStaffId: destination.toStaffId,
    addressedTo: destination.addressedTo,
    uploadLinkId: destination.uploadLinkId,
    email: sender.email,
    contact: sender.contact,
    locale: request.locale,
    browserHash,
    verified: !destination.needsCode,
  });
  if (!destination.needsCode) return `/inbound/${id}`;
  await sendSessionCode(deps, request, { id, email: sender.email, locale: request.locale });
  return `/inbound/${id}/code`;
}
