import type { Locale } from '@amtsbote/contracts';
import { codeMail, mailMessages } from '@amtsbote/web';
import { MINUTE } from '../../../adapters/clock.ts';
import type { OutgoingMail } from '../../../adapters/mailer/types.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { issueCode, verifyCode } from '../../auth/index.ts';
import type { OidcIdentity } from '../../auth/index.ts';
import { normaliseEmail } from '../../staff/index.ts';
import { accountWithIdentity } from './identities.ts';
import type { Account } from '../service.ts';
import { findAccountByEmail } from '../service.ts';
import { hasTotp } from '../store/credentials.ts';
import type { PendingIdentityRow } from '../store/pending-identities.ts';
import {
  deleteStaleOrSessionPending,
  insertPendingIdentity,
  livePendingIdentity,
  setPendingCode,
  usePendingIdentity,
} from '../store/pending-identities.ts';

/**
 * The step after a first sign-in through an identity service that vouched for no e-mail address
 * (BundID and state service accounts often do not): the verified identity waits server-side,
 * bound to the browser session, while the person proves an address with a mailed code. Then the
 * account is created with that address, or — when the address already has an account — the
 * code proves the person controls it, and the identity is linked to that account.
 *
 * Only the session cookie finds the waiting identity; the form carries the address and the code,
 * nothing else. Unknown, expired, used and foreign-session states are refused alike
 * (ERR_OIDC_STATE).
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

/** Long enough for one code (15 minutes) plus a resend; short enough that a forgotten tab ends. */
export const OIDC_EMAIL_LIFETIME_MS = 30 * MINUTE;

export interface PendingIdentity {
  id: string;
  identity: OidcIdentity;
  next: string | null;
  /** The address a code was last mailed to. */
  email: string | null;
  codeId: string | null;
}

function fromRow(r: PendingIdentityRow): PendingIdentity {
  return {
    id: r.id,
    identity: {
      issuer: r.issuer,
      subject: r.subject,
      email: undefined,
      emailVerified: false,
      acr: r.acr ?? undefined,
      name: r.name ?? undefined,
    },
    next: r.next,
    email: r.email,
    codeId: r.codeId,
  };
}

/** Keeps the identity for this session; an earlier waiting one of the same session ends. */
export async function holdIdentity(
  deps: Pick<Deps, 'db' | 'clock' | 'secrets'>,
  input: { tenantId: string; sessionHash: Buffer; identity: OidcIdentity; next: string | null },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await deleteStaleOrSessionPending(tx, now, input.sessionHash);
    await insertPendingIdentity(tx, {
      tenantId: input.tenantId,
      id: deps.secrets.id(),
      sessionHash: input.sessionHash,
      issuer: input.identity.issuer,
      subject: input.identity.subject,
      acr: input.identity.acr ?? null,
      name: input.identity.name ?? null,
      next: input.next,
      at: now,
      expiresAt: new Date(now.getTime() + OIDC_EMAIL_LIFETIME_MS),
    });
  });
}

/** The identity waiting for this session, if any. */
export async function pendingIdentity(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  sessionHash: Buffer | undefined,
): Promise<PendingIdentity | undefined> {
  if (sessionHash === undefined) return undefined;
  const row = await livePendingIdentity(deps.db, tenantId, sessionHash, deps.clock.now());
  return row === undefined ? undefined : fromRow(row);
}

/**
 * Mails a code to `email` for the identity waiting in this session. The answer never depends on
 * whether the address has an account (that is said only once the code proved control of it).
 * @returns the address the code went to (normalised)
 * @throws {AppError} ERR_OIDC_STATE without a waiting identity; ERR_RATE_LIMITED
 */
export async function sendIdentityCode(
  deps: Deps & Pick<AppDeps, 'mailer' | 'config'>,
  input: {
    tenant: { id: string; name: string };
    sessionHash: Buffer | undefined;
    email: string;
    ip: string;
    locale: Locale;
  },
): Promise<string> {
  const pending = await pendingIdentity(deps, input.tenant.id, input.sessionHash);
  if (pending === undefined) throw new AppError('ERR_OIDC_STATE');
  const email = normaliseEmail(input.email);
  const issued = await issueCode(deps, {
    tenantId: input.tenant.id,
    purpose: 'account-oidc-email',
    email,
    subjectId: pending.id,
    ip: input.ip,
  });
  await setPendingCode(deps.db, { tenantId: input.tenant.id, id: pending.id, email, codeId: issued.id });
  await deps.mailer.send(
    identityCodeMail(email, input.locale, {
      code: issued.code,
      tenantName: input.tenant.name,
      service: deps.config.oidc?.label ?? mailMessages(input.locale).identityCode.defaultService,
    }),
  );
  return email;
}

/**
 * Checks the code for the waiting identity (each try counts; the fifth wrong one burns the
 * code), then creates the account with the proven address, or links the identity to the account
 * that already has it. The waiting identity is used up, so the step cannot be replayed.
 * An account protected by an authenticator app is not linked this way: the code proves the
 * mailbox, not the second factor, so its holder signs in and connects the identity there.
 * @throws {AppError} ERR_OIDC_STATE, ERR_CODE_INVALID, ERR_OIDC_SIGN_IN_TO_LINK, ERR_IDENTITY_LINKED
 */
export async function confirmIdentityCode(
  deps: Deps,
  input: {
    tenantId: string;
    sessionHash: Buffer | undefined;
    code: string;
    locale: 'de' | 'en';
    ipPrefix: string | undefined;
  },
): Promise<{ account: Account; created: boolean; next: string | null }> {
  const pending = await pendingIdentity(deps, input.tenantId, input.sessionHash);
  if (pending === undefined) throw new AppError('ERR_OIDC_STATE');
  if (pending.codeId === null || pending.email === null) throw new AppError('ERR_CODE_INVALID');
  const verified = await verifyCode(deps, {
    tenantId: input.tenantId,
    id: pending.codeId,
    purpose: 'account-oidc-email',
    code: input.code,
  });
  if (verified.subjectId !== pending.id || verified.email !== pending.email)
    throw new AppError('ERR_CODE_INVALID');
  const used = await usePendingIdentity(deps.db, {
    tenantId: input.tenantId,
    id: pending.id,
    sessionHash: input.sessionHash,
    now: deps.clock.now(),
  });
  if (!used) throw new AppError('ERR_OIDC_STATE');
  const existing = await findAccountByEmail(deps.db, input.tenantId, verified.email);
  if (existing !== undefined) {
    if (await hasTotp(deps.db, input.tenantId, existing.id)) throw new AppError('ERR_OIDC_SIGN_IN_TO_LINK');
  }
  const result = await accountWithIdentity(deps, {
    tenantId: input.tenantId,
    identity: pending.identity,
    email: verified.email,
    locale: input.locale,
    ipPrefix: input.ipPrefix,
    takeExisting: true,
  });
  return { ...result, next: pending.next };
}

/** The mail with the code. It says what the code is for, so a stranger's request is recognisable. */
export function identityCodeMail(
  to: string,
  lang: Locale,
  p: { code: string; tenantName: string; service: string },
): OutgoingMail {
  const m = mailMessages(lang);
  return {
    to: [to],
    ...codeMail(lang, {
      subject: m.code.subject(p.code),
      greeting: m.greeting,
      intro: m.identityCode.intro(p.tenantName, p.service),
      code: p.code,
      notes: [m.code.validity, m.identityCode.linked, m.identityCode.notYou],
    }),
  };
}
