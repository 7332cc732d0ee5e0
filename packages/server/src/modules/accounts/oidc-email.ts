import { MINUTE } from '../../adapters/clock.ts';
import { one } from '../../adapters/db/index.ts';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { issueCode, verifyCode } from '../auth/codes.ts';
import type { OidcIdentity } from '../auth/oidc.ts';
import { normaliseEmail } from '../staff/service.ts';
import { accountWithIdentity } from './identities.ts';
import type { Account } from './service.ts';
import { findAccountByEmail } from './service.ts';

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

interface Row {
  id: string;
  issuer: string;
  subject: string;
  acr: string | null;
  name: string | null;
  next: string | null;
  email: string | null;
  code_id: string | null;
}

const COLUMNS = 'id, issuer, subject, acr, name, next, email, code_id';

function fromRow(r: Row): PendingIdentity {
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
    codeId: r.code_id,
  };
}

/** Keeps the identity for this session; an earlier waiting one of the same session ends. */
export async function holdIdentity(
  deps: Pick<Deps, 'db' | 'clock' | 'secrets'>,
  input: { tenantId: string; sessionHash: Buffer; identity: OidcIdentity; next: string | null },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query(`DELETE FROM oidc_pending_identities WHERE expires_at <= $1 OR session_hash = $2`, [
      now,
      input.sessionHash,
    ]);
    await tx.query(
      `INSERT INTO oidc_pending_identities (tenant_id, id, session_hash, issuer, subject, acr, name, next, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        input.tenantId,
        deps.secrets.id(),
        input.sessionHash,
        input.identity.issuer,
        input.identity.subject,
        input.identity.acr ?? null,
        input.identity.name ?? null,
        input.next,
        now,
        new Date(now.getTime() + OIDC_EMAIL_LIFETIME_MS),
      ],
    );
  });
}

/** The identity waiting for this session, if any. */
export async function pendingIdentity(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  sessionHash: Buffer | undefined,
): Promise<PendingIdentity | undefined> {
  if (sessionHash === undefined) return undefined;
  const row = await one<Row>(
    deps.db,
    `SELECT ${COLUMNS} FROM oidc_pending_identities
     WHERE tenant_id = $1 AND session_hash = $2 AND used_at IS NULL AND expires_at > $3`,
    [tenantId, sessionHash, deps.clock.now()],
  );
  return row === undefined ? undefined : fromRow(row);
}

/**
 * Mails a code to `email` for the identity waiting in this session. The answer never depends on
 * whether the address has an account (that is said only once the code proved control of it).
 * @throws {AppError} ERR_OIDC_STATE without a waiting identity; ERR_RATE_LIMITED
 */
export async function sendIdentityCode(
  deps: Deps,
  input: { tenantId: string; sessionHash: Buffer | undefined; email: string; ip: string },
): Promise<{ code: string; email: string }> {
  const pending = await pendingIdentity(deps, input.tenantId, input.sessionHash);
  if (pending === undefined) throw new AppError('ERR_OIDC_STATE');
  const email = normaliseEmail(input.email);
  const issued = await issueCode(deps, {
    tenantId: input.tenantId,
    purpose: 'account-oidc-email',
    email,
    subjectId: pending.id,
    ip: input.ip,
  });
  await deps.db.query(
    `UPDATE oidc_pending_identities SET email = $3, code_id = $4 WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, pending.id, email, issued.id],
  );
  return { code: issued.code, email };
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
  const used = await deps.db.query(
    `UPDATE oidc_pending_identities SET used_at = $4
     WHERE tenant_id = $1 AND id = $2 AND session_hash = $3 AND used_at IS NULL AND expires_at > $4 RETURNING id`,
    [input.tenantId, pending.id, input.sessionHash, deps.clock.now()],
  );
  if (used.length === 0) throw new AppError('ERR_OIDC_STATE');
  const existing = await findAccountByEmail(deps.db, input.tenantId, verified.email);
  if (existing !== undefined) {
    const guarded = await one<{ totp: boolean }>(
      deps.db,
      `SELECT totp_key IS NOT NULL AS totp FROM accounts WHERE tenant_id = $1 AND id = $2`,
      [input.tenantId, existing.id],
    );
    if (guarded?.totp === true) throw new AppError('ERR_OIDC_SIGN_IN_TO_LINK');
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
  lang: 'de' | 'en',
  p: { code: string; tenantName: string; service: string },
): OutgoingMail {
  const text =
    lang === 'de'
      ? [
          'Guten Tag,',
          '',
          `Sie haben sich bei ${p.tenantName} mit ${p.service} angemeldet und möchten diese E-Mail-Adresse für Ihr Servicekonto verwenden. Ihr Code lautet:`,
          '',
          p.code,
          '',
          'Der Code gilt 15 Minuten und nur einmal.',
          'Hat diese Adresse schon ein Servicekonto, wird die Anmeldung damit verbunden.',
          'Wenn Sie das nicht waren, geben Sie den Code nicht weiter und löschen Sie diese Nachricht.',
        ]
      : [
          'Hello,',
          '',
          `You signed in at ${p.tenantName} with ${p.service} and want to use this e-mail address for your service account. Your code is:`,
          '',
          p.code,
          '',
          'The code works once, for 15 minutes.',
          'If this address already has a service account, the sign-in will be connected to it.',
          'If this was not you, do not pass the code on and delete this message.',
        ];
  const esc = (l: string) => l.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    to: [to],
    subject: lang === 'de' ? `Ihr Code: ${p.code}` : `Your code: ${p.code}`,
    text: text.join('\n'),
    html: `<!doctype html><html lang="${lang}"><body>${text.map((l) => (l === '' ? '' : `<p>${l === p.code ? `<strong>${l}</strong>` : esc(l)}</p>`)).join('\n')}</body></html>`,
  };
}
