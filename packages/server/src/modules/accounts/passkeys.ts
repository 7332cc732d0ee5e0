import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { MINUTE } from '../../adapters/clock.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Account } from './service.ts';
import { getAccount } from './service.ts';

/**
 * Passkeys (WebAuthn) as a first factor, through @simplewebauthn/server. A challenge lives 5
 * minutes, is used once and belongs to the browser session that asked for it. The relying party
 * is the tenant's host name, so a passkey made for one authority's portal works only there.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

export const CHALLENGE_LIFETIME_MS = 5 * MINUTE;

/** Where the browser is: the relying party's id and the origin its answer must name. */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

type Purpose = 'register' | 'login' | 'reauth';

async function storeChallenge(
  deps: Deps,
  input: {
    tenantId: string;
    purpose: Purpose;
    accountId: string | null;
    sessionHash: Buffer;
    challenge: string;
  },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.query(`DELETE FROM webauthn_challenges WHERE expires_at <= $1`, [now]);
  await deps.db.query(
    `INSERT INTO webauthn_challenges (challenge, tenant_id, purpose, account_id, session_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      input.challenge,
      input.tenantId,
      input.purpose,
      input.accountId,
      input.sessionHash,
      now,
      new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
    ],
  );
}

/** The challenge the browser signed, from its client data (checked again by the library). */
function challengeOf(response: { response: { clientDataJSON: string } }): string | undefined {
  try {
    const data = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    return typeof data.challenge === 'string' ? data.challenge : undefined;
  } catch {
    return undefined;
  }
}

/** Uses up the challenge; undefined when unknown, expired, of another purpose or session. */
async function takeChallenge(
  deps: Deps,
  input: { tenantId: string; purpose: Purpose; sessionHash: Buffer; challenge: string | undefined },
): Promise<{ accountId: string | null } | undefined> {
  if (input.challenge === undefined) return undefined;
  return one<{ accountId: string | null }>(
    deps.db,
    `DELETE FROM webauthn_challenges WHERE challenge = $1 AND tenant_id = $2 AND purpose = $3 AND session_hash = $4 AND expires_at > $5
     RETURNING account_id AS "accountId"`,
    [input.challenge, input.tenantId, input.purpose, input.sessionHash, deps.clock.now()],
  );
}

async function userHandle(deps: Deps, tenantId: string, accountId: string): Promise<Uint8Array> {
  const row = await one<{ h: Buffer | null }>(
    deps.db,
    `SELECT webauthn_user_id AS h FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  if (row?.h != null) return new Uint8Array(row.h);
  const fresh = randomBytes(32);
  await deps.db.query(
    `UPDATE accounts SET webauthn_user_id = $3 WHERE tenant_id = $1 AND id = $2 AND webauthn_user_id IS NULL`,
    [tenantId, accountId, fresh],
  );
  const again = await one<{ h: Buffer }>(
    deps.db,
    `SELECT webauthn_user_id AS h FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  return new Uint8Array(again?.h ?? fresh);
}

async function credentialsOf(
  deps: Deps,
  tenantId: string,
  accountId: string,
): Promise<{ id: string; transports: string[] }[]> {
  const rows = await deps.db.query<{ credential_id: string; transports: string[] }>(
    `SELECT credential_id, transports FROM account_passkeys WHERE tenant_id = $1 AND account_id = $2`,
    [tenantId, accountId],
  );
  return rows.map((r) => ({ id: r.credential_id, transports: r.transports }));
}

export async function registrationOptions(
  deps: Deps,
  input: { tenantId: string; account: Account; rp: RelyingParty; sessionHash: Buffer },
) {
  const options = await generateRegistrationOptions({
    rpName: input.rp.name,
    rpID: input.rp.id,
    userName: input.account.email,
    userDisplayName: input.account.displayName ?? input.account.email,
    userID: (await userHandle(deps, input.tenantId, input.account.id)) as Uint8Array<ArrayBuffer>,
    attestationType: 'none',
    excludeCredentials: await credentialsOf(deps, input.tenantId, input.account.id),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  await storeChallenge(deps, {
    tenantId: input.tenantId,
    purpose: 'register',
    accountId: input.account.id,
    sessionHash: input.sessionHash,
    challenge: options.challenge,
  });
  return options;
}

/**
 * Stores a new passkey after checking the browser's answer.
 * @throws {AppError} ERR_PASSKEY_INVALID
 */
export async function finishRegistration(
  deps: Deps,
  input: {
    tenantId: string;
    accountId: string;
    rp: RelyingParty;
    sessionHash: Buffer;
    response: RegistrationResponseJSON;
    name: string;
    ipPrefix: string | undefined;
  },
): Promise<string> {
  const challenge = await takeChallenge(deps, {
    tenantId: input.tenantId,
    purpose: 'register',
    sessionHash: input.sessionHash,
    challenge: challengeOf(input.response),
  });
  if (challenge?.accountId !== input.accountId) throw new AppError('ERR_PASSKEY_INVALID');
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challengeOf(input.response) ?? '',
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      requireUserVerification: false,
    });
  } catch (err) {
    throw new AppError('ERR_PASSKEY_INVALID', { cause: err });
  }
  if (!verified.verified) throw new AppError('ERR_PASSKEY_INVALID');
  const info = verified.registrationInfo;
  const id = deps.secrets.id();
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO account_passkeys (tenant_id, id, account_id, credential_id, public_key, counter, transports, device_type, backed_up, name, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        input.tenantId,
        id,
        input.accountId,
        info.credential.id,
        Buffer.from(info.credential.publicKey),
        info.credential.counter,
        info.credential.transports ?? [],
        info.credentialDeviceType,
        info.credentialBackedUp,
        input.name.trim() === '' ? 'Passkey' : input.name.trim().slice(0, 100),
        now,
      ],
    );
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.accountId },
      action: 'account.passkey_added',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
    });
  });
  return id;
}

/** Options for signing in with any passkey of this portal (discoverable credentials). */
export async function loginOptions(
  deps: Deps,
  input: { tenantId: string; rp: RelyingParty; sessionHash: Buffer },
) {
  const options = await generateAuthenticationOptions({ rpID: input.rp.id, userVerification: 'preferred' });
  await storeChallenge(deps, {
    tenantId: input.tenantId,
    purpose: 'login',
    accountId: null,
    sessionHash: input.sessionHash,
    challenge: options.challenge,
  });
  return options;
}

/** Options for confirming it is still the account's holder (before deleting something). */
export async function reauthOptions(
  deps: Deps,
  input: { tenantId: string; accountId: string; rp: RelyingParty; sessionHash: Buffer },
) {
  const options = await generateAuthenticationOptions({
    rpID: input.rp.id,
    userVerification: 'preferred',
    allowCredentials: await credentialsOf(deps, input.tenantId, input.accountId),
  });
  await storeChallenge(deps, {
    tenantId: input.tenantId,
    purpose: 'reauth',
    accountId: input.accountId,
    sessionHash: input.sessionHash,
    challenge: options.challenge,
  });
  return options;
}

/**
 * Checks a passkey's signature. For `login` any account's passkey answers; for `reauth` only one
 * of the given account's.
 * @returns the account the passkey belongs to.
 * @throws {AppError} ERR_PASSKEY_INVALID
 */
export async function finishAuthentication(
  deps: Deps,
  input: {
    tenantId: string;
    purpose: 'login' | 'reauth';
    rp: RelyingParty;
    sessionHash: Buffer;
    response: AuthenticationResponseJSON;
    ipPrefix: string | undefined;
  },
): Promise<Account> {
  const challenge = await takeChallenge(deps, {
    tenantId: input.tenantId,
    purpose: input.purpose,
    sessionHash: input.sessionHash,
    challenge: challengeOf(input.response),
  });
  if (challenge === undefined) throw new AppError('ERR_PASSKEY_INVALID');
  const stored = await one<{
    id: string;
    account_id: string;
    public_key: Buffer;
    counter: string;
    transports: string[];
  }>(
    deps.db,
    `SELECT id, account_id, public_key, counter::text AS counter, transports FROM account_passkeys WHERE tenant_id = $1 AND credential_id = $2`,
    [input.tenantId, input.response.id],
  );
  if (stored === undefined || (challenge.accountId !== null && challenge.accountId !== stored.account_id))
    throw new AppError('ERR_PASSKEY_INVALID');
  let result;
  try {
    result = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challengeOf(input.response) ?? '',
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      credential: {
        id: input.response.id,
        publicKey: new Uint8Array(stored.public_key),
        counter: Number(stored.counter),
        transports: stored.transports,
      },
      requireUserVerification: false,
    });
  } catch (err) {
    throw new AppError('ERR_PASSKEY_INVALID', { cause: err });
  }
  if (!result.verified) throw new AppError('ERR_PASSKEY_INVALID');
  const now = deps.clock.now();
  await deps.db.query(
    `UPDATE account_passkeys SET counter = $3, last_used_at = $4 WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, stored.id, result.authenticationInfo.newCounter, now],
  );
  const account = await getAccount(deps.db, input.tenantId, stored.account_id);
  if (account === undefined) throw new AppError('ERR_PASSKEY_INVALID');
  return account;
}

/** Removes a passkey. The last way to sign in cannot go (a password or another passkey must stay). */
export async function deletePasskey(
  deps: Deps,
  input: { tenantId: string; accountId: string; passkeyId: string; ipPrefix: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await one<{ has_password: boolean; others: number }>(
      tx,
      `SELECT a.password_hash IS NOT NULL AS has_password,
         (SELECT count(*)::int FROM account_passkeys p WHERE p.tenant_id = a.tenant_id AND p.account_id = a.id AND p.id <> $3) AS others
       FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`,
      [input.tenantId, input.accountId, input.passkeyId],
    );
    if (row === undefined) throw new AppError('ERR_NOT_FOUND');
    if (!row.has_password && row.others === 0)
      throw new AppError('ERR_VALIDATION', { fields: [{ field: 'passkey', code: 'ERR_VALIDATION' }] });
    const gone = await tx.query(
      `DELETE FROM account_passkeys WHERE tenant_id = $1 AND account_id = $2 AND id = $3 RETURNING id`,
      [input.tenantId, input.accountId, input.passkeyId],
    );
    if (gone.length === 0) throw new AppError('ERR_NOT_FOUND');
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.accountId },
      action: 'account.passkey_removed',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
    });
  });
}
