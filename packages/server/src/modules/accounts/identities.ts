import { isUniqueViolation, one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { OidcIdentity } from '../auth/oidc.ts';
import type { Account } from './service.ts';
import { accountForVerifiedEmail, findAccountByEmail, getAccount } from './service.ts';

/**
 * Service accounts linked to identities at an OpenID provider (BundID via a broker). The link is
 * the issuer's subject — never the e-mail address, which the person may change at either end —
 * and the trust level (`acr`) of the last sign-in is kept with it.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

/**
 * The account a provider identity signs in to. A linked identity opens its account. A first
 * sign-in creates an account when the provider vouches for an address nobody here uses yet; an
 * address that already has an account is not taken over (its holder signs in and connects).
 * @returns undefined when the provider vouched for no address: the person proves one by mailed
 *   code first (oidc-email.ts).
 * @throws {AppError} ERR_IDENTITY_LINKED
 */
export async function accountForIdentity(
  deps: Deps,
  input: { tenantId: string; identity: OidcIdentity; locale: 'de' | 'en'; ipPrefix: string | undefined },
): Promise<{ account: Account; created: boolean } | undefined> {
  const { identity } = input;
  const now = deps.clock.now();
  const linked = await one<{ account_id: string }>(
    deps.db,
    `SELECT account_id FROM account_identities WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
    [input.tenantId, identity.issuer, identity.subject],
  );
  if (linked !== undefined) {
    await deps.db.query(
      `UPDATE account_identities SET last_login_at = $4, acr = $5 WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
      [input.tenantId, identity.issuer, identity.subject, now, identity.acr ?? null],
    );
    await deps.db.query(`UPDATE accounts SET last_active_at = $3 WHERE tenant_id = $1 AND id = $2`, [
      input.tenantId,
      linked.account_id,
      now,
    ]);
    const account = await getAccount(deps.db, input.tenantId, linked.account_id);
    if (account === undefined) throw new AppError('ERR_OIDC_STATE');
    return { account, created: false };
  }
  const email = identity.emailVerified ? identity.email : undefined;
  if (email === undefined) return undefined;
  if ((await findAccountByEmail(deps.db, input.tenantId, email)) !== undefined)
    throw new AppError('ERR_IDENTITY_LINKED');
  return accountWithIdentity(deps, { ...input, email, takeExisting: false });
}

/**
 * Creates the account of a verified address and links the identity to it, or, with
 * `takeExisting`, links the identity to the account that already has the address (the caller
 * made sure the person controls it). The audit events are those of the other paths:
 * `account.created` (via oidc) for a new account, `account.identity_linked` for an existing one.
 * @throws {AppError} ERR_IDENTITY_LINKED when the identity or the address is taken meanwhile.
 */
export async function accountWithIdentity(
  deps: Deps,
  input: {
    tenantId: string;
    identity: OidcIdentity;
    email: string;
    locale: 'de' | 'en';
    ipPrefix: string | undefined;
    takeExisting: boolean;
  },
): Promise<{ account: Account; created: boolean }> {
  const { identity } = input;
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const { account, created } = await accountForVerifiedEmail(
        tx,
        deps,
        input.tenantId,
        input.email,
        input.locale,
        identity.name,
      );
      if (!created && !input.takeExisting) throw new AppError('ERR_IDENTITY_LINKED');
      await tx.query(
        `INSERT INTO account_identities (tenant_id, id, account_id, issuer, subject, acr, linked_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
        [
          input.tenantId,
          deps.secrets.id(),
          account.id,
          identity.issuer,
          identity.subject,
          identity.acr ?? null,
          now,
        ],
      );
      await recordAudit(tx, {
        tenantId: input.tenantId,
        at: now,
        actor: { kind: 'account', id: account.id },
        action: created ? 'account.created' : 'account.identity_linked',
        subject: { kind: 'account', id: account.id },
        ipPrefix: input.ipPrefix,
        ...(created ? { details: { via: 'oidc' } } : {}),
      });
      return { account, created };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ERR_IDENTITY_LINKED', { cause: err });
    throw err;
  }
}

/**
 * Connects a provider identity to the signed-in account.
 * @throws {AppError} ERR_IDENTITY_LINKED when another account (or this one, for this issuer) has it.
 */
export async function linkIdentity(
  deps: Deps,
  input: { tenantId: string; accountId: string; identity: OidcIdentity; ipPrefix: string | undefined },
): Promise<void> {
  const now = deps.clock.now();
  try {
    await deps.db.transaction(async (tx) => {
      const existing = await one<{ account_id: string }>(
        tx,
        `SELECT account_id FROM account_identities WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
        [input.tenantId, input.identity.issuer, input.identity.subject],
      );
      if (existing !== undefined) {
        if (existing.account_id !== input.accountId) throw new AppError('ERR_IDENTITY_LINKED');
        await tx.query(
          `UPDATE account_identities SET acr = $4, last_login_at = $5 WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
          [input.tenantId, input.identity.issuer, input.identity.subject, input.identity.acr ?? null, now],
        );
        return;
      }
      await tx.query(
        `INSERT INTO account_identities (tenant_id, id, account_id, issuer, subject, acr, linked_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
        [
          input.tenantId,
          deps.secrets.id(),
          input.accountId,
          input.identity.issuer,
          input.identity.subject,
          input.identity.acr ?? null,
          now,
        ],
      );
      await recordAudit(tx, {
        tenantId: input.tenantId,
        at: now,
        actor: { kind: 'account', id: input.accountId },
        action: 'account.identity_linked',
        subject: { kind: 'account', id: input.accountId },
        ipPrefix: input.ipPrefix,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ERR_IDENTITY_LINKED', { cause: err });
    throw err;
  }
}

/** Whether this provider identity is the one linked to the account (re-authentication). */
export async function identityBelongsTo(
  deps: Pick<Deps, 'db'>,
  tenantId: string,
  accountId: string,
  identity: OidcIdentity,
): Promise<boolean> {
  const row = await one(
    deps.db,
    `SELECT 1 AS x FROM account_identities WHERE tenant_id = $1 AND account_id = $2 AND issuer = $3 AND subject = $4`,
    [tenantId, accountId, identity.issuer, identity.subject],
  );
  return row !== undefined;
}

/**
 * Disconnects an identity. The last way to sign in cannot go: an account without password or
 * passkey keeps its only identity.
 */
export async function unlinkIdentity(
  deps: Deps,
  input: { tenantId: string; accountId: string; identityId: string; ipPrefix: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await one<{ other_ways: boolean }>(
      tx,
      `SELECT (a.password_hash IS NOT NULL OR EXISTS (SELECT 1 FROM account_passkeys p WHERE p.tenant_id = a.tenant_id AND p.account_id = a.id)
          OR (SELECT count(*) FROM account_identities i WHERE i.tenant_id = a.tenant_id AND i.account_id = a.id) > 1) AS other_ways
       FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`,
      [input.tenantId, input.accountId],
    );
    if (row === undefined) throw new AppError('ERR_NOT_FOUND');
    if (!row.other_ways)
      throw new AppError('ERR_VALIDATION', { fields: [{ field: 'identity', code: 'ERR_VALIDATION' }] });
    const gone = await tx.query(
      `DELETE FROM account_identities WHERE tenant_id = $1 AND account_id = $2 AND id = $3 RETURNING id`,
      [input.tenantId, input.accountId, input.identityId],
    );
    if (gone.length === 0) throw new AppError('ERR_NOT_FOUND');
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.accountId },
      action: 'account.identity_unlinked',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
    });
  });
}
