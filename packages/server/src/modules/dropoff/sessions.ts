import { HOUR } from '../../adapters/clock.ts';
import { openText, sealText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { normaliseEmail } from '../staff/index.ts';
import type { SessionRow } from './store.ts';
import { deleteSessionsExpiredBy, insertSession, setSessionVerified } from './store.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

/** Waiting for the code: an hour at most. */
export const UNVERIFIED_LIFETIME_MS = HOUR;
/** After the code: long enough to upload large files, bounded by the visitor's session anyway. */
export const VERIFIED_LIFETIME_MS = 12 * HOUR;

export interface Contact {
  firstName: string;
  lastName: string;
  phone: string;
}

/**
 * A sender on the way in (drop-off, or an upload link): who they are, where it goes, and whether
 * the e-mail code was entered. Bound to the browser's session: the id in a URL opens nothing
 * elsewhere (policy.ts).
 */
export interface InboundSession {
  id: string;
  departmentId: string | null;
  toStaffId: string | null;
  addressedTo: string | null;
  uploadLinkId: string | null;
  email: string;
  contact: Contact;
  locale: 'de' | 'en';
  verified: boolean;
  draftId: string | null;
  transferId: string | null;
  expiresAt: Date;
}

function contactContext(tenantId: string, id: string): string {
  return `inbound-contact:${tenantId}:${id}`;
}

export async function startSession(
  deps: Deps,
  tenantId: string,
  input: {
    departmentId: string | null;
    toStaffId: string | null;
    addressedTo: string | null;
    uploadLinkId: string | null;
    email: string;
    contact: Contact;
    locale: 'de' | 'en';
    browserHash: Buffer;
    verified: boolean;
  },
): Promise<string> {
  const id = deps.secrets.id();
  const now = deps.clock.now();
  const key = deps.keyring.newDataKey(contactContext(tenantId, id));
  await insertSession(deps.db, {
    tenantId,
    id,
    departmentId: input.departmentId,
    toStaffId: input.toStaffId,
    addressedTo: input.addressedTo,
    uploadLinkId: input.uploadLinkId,
    email: normaliseEmail(input.email),
    contactKey: key.wrapped,
    contact: sealText(key.key, JSON.stringify(input.contact), contactContext(tenantId, id)),
    locale: input.locale,
    browserHash: input.browserHash,
    verifiedAt: input.verified ? now : null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + (input.verified ? VERIFIED_LIFETIME_MS : UNVERIFIED_LIFETIME_MS)),
  });
  return id;
}

/** The session as the flow uses it, its contact data opened. */
export function openSession(deps: Pick<Deps, 'keyring'>, tenantId: string, r: SessionRow): InboundSession {
  // Once delivered, the contact data live in the transfer only; the session keeps none.
  const contact: Contact =
    r.contact.length === 0
      ? { firstName: '', lastName: '', phone: '' }
      : (JSON.parse(
          openText(
            deps.keyring.unwrap(r.contactKey, contactContext(tenantId, r.id)),
            r.contact,
            contactContext(tenantId, r.id),
          ),
        ) as Contact);
  return {
    id: r.id,
    departmentId: r.departmentId,
    toStaffId: r.toStaffId,
    addressedTo: r.addressedTo,
    uploadLinkId: r.uploadLinkId,
    email: r.email,
    contact,
    locale: r.locale,
    verified: r.verifiedAt !== null,
    draftId: r.draftId,
    transferId: r.transferId,
    expiresAt: r.expiresAt,
  };
}

export async function markVerified(deps: Deps, tenantId: string, id: string): Promise<void> {
  const now = deps.clock.now();
  await setSessionVerified(deps.db, tenantId, id, now, new Date(now.getTime() + VERIFIED_LIFETIME_MS));
}

/** Removes sessions that ran out (the sweep calls this). */
export async function deleteExpiredSessions(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  return deleteSessionsExpiredBy(deps.db, deps.clock.now());
}

/** `m***@example.org`. */
export function maskAddress(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? '***' : `${email.slice(0, 1)}***${email.slice(at)}`;
}
