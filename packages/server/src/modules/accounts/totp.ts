import { createHash, randomBytes } from 'node:crypto';
import { generate, generateURI, ScureBase32Plugin, verify } from 'otplib';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';

/**
 * A second factor by authenticator app (RFC 6238: SHA-1, 6 digits, 30 s), with recovery codes.
 * The secret is a data key wrapped by the master key; every accepted code's time step is kept
 * so no code works twice. Codes from one step before or after are accepted (clock drift).
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

const SECRET_BYTES = 20;
const TOLERANCE_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

const base32 = new ScureBase32Plugin();

function context(tenantId: string, accountId: string): string {
  return `totp:${tenantId}:${accountId}`;
}

function secretOf(
  deps: Pick<Deps, 'keyring'>,
  wrapped: Buffer,
  tenantId: string,
  accountId: string,
): Uint8Array {
  return new Uint8Array(deps.keyring.unwrap(wrapped, context(tenantId, accountId)).subarray(0, SECRET_BYTES));
}

/** The secret as authenticator apps take it (base32, grouped for typing). */
export function formatSecret(secret: Uint8Array): string {
  return base32
    .encode(secret)
    .replace(/=+$/, '')
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

export interface TotpSetup {
  /** otpauth:// URI for the QR code. */
  uri: string;
  /** The same secret for typing in, grouped. */
  secret: string;
}

/**
 * Starts (or restarts) setting up TOTP: a fresh secret waits, unconfirmed, until a code from
 * the app proves it was stored there.
 */
export async function beginTotpSetup(
  deps: Deps,
  input: { tenantId: string; accountId: string; issuer: string; label: string },
): Promise<TotpSetup> {
  const fresh = deps.keyring.newDataKey(context(input.tenantId, input.accountId));
  await deps.db.query(`UPDATE accounts SET totp_pending_key = $3 WHERE tenant_id = $1 AND id = $2`, [
    input.tenantId,
    input.accountId,
    fresh.wrapped,
  ]);
  return setupOf(fresh.key.subarray(0, SECRET_BYTES), input.issuer, input.label);
}

/** The pending setup again (re-showing the page after a wrong code). */
export async function pendingTotpSetup(
  deps: Deps,
  input: { tenantId: string; accountId: string; issuer: string; label: string },
): Promise<TotpSetup | undefined> {
  const row = await one<{ totp_pending_key: Buffer | null }>(
    deps.db,
    `SELECT totp_pending_key FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.accountId],
  );
  if (row?.totp_pending_key == null) return undefined;
  return setupOf(
    secretOf(deps, row.totp_pending_key, input.tenantId, input.accountId),
    input.issuer,
    input.label,
  );
}

function setupOf(secret: Uint8Array, issuer: string, label: string): TotpSetup {
  const encoded = base32.encode(secret).replace(/=+$/, '');
  return { uri: generateURI({ issuer, label, secret: encoded }), secret: formatSecret(secret) };
}

async function matchStep(secret: Uint8Array, code: string, now: Date): Promise<number | undefined> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/**
 * Confirms the pending secret with a code from the app: TOTP is on from now, and a fresh set of
 * recovery codes is returned (shown once).
 * @throws {AppError} ERR_TOTP_INVALID
 */
export async function confirmTotpSetup(
  deps: Deps,
  input: { tenantId: string; accountId: string; code: string; ipPrefix: string | undefined },
): Promise<string[]> {
  const row = await one<{ totp_pending_key: Buffer | null }>(
    deps.db,
    `SELECT totp_pending_key FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.accountId],
  );
  if (row?.totp_pending_key == null)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  const now = deps.clock.now();
  const step = await matchStep(
    secretOf(deps, row.totp_pending_key, input.tenantId, input.accountId),
    input.code,
    now,
  );
  if (step === undefined)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  return deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE accounts SET totp_key = totp_pending_key, totp_pending_key = NULL, totp_enabled_at = $3, totp_last_step = $4 WHERE tenant_id = $1 AND id = $2`,
      [input.tenantId, input.accountId, now, step],
    );
    const codes = await replaceRecoveryCodes(tx, deps, input.tenantId, input.accountId);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.accountId },
      action: 'account.totp_enabled',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
    });
    return codes;
  });
}

/**
 * Checks a code for an account with TOTP on. A code whose time step was already accepted is
 * refused, so a code seen over someone's shoulder (or replayed) is worthless.
 * @throws {AppError} ERR_TOTP_INVALID, ERR_TOTP_REUSED
 */
export async function verifyTotp(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  input: { tenantId: string; accountId: string; code: string },
): Promise<void> {
  const row = await one<{ totp_key: Buffer | null }>(
    deps.db,
    `SELECT totp_key FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.accountId],
  );
  if (row?.totp_key == null)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  const step = await matchStep(
    secretOf(deps, row.totp_key, input.tenantId, input.accountId),
    input.code,
    deps.clock.now(),
  );
  if (step === undefined)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  // Atomic: of two requests racing with the same code only one moves the step forward.
  const moved = await deps.db.query(
    `UPDATE accounts SET totp_last_step = $3 WHERE tenant_id = $1 AND id = $2 AND (totp_last_step IS NULL OR totp_last_step < $3) RETURNING id`,
    [input.tenantId, input.accountId, step],
  );
  if (moved.length === 0)
    throw new AppError('ERR_TOTP_REUSED', { fields: [{ field: 'code', code: 'ERR_TOTP_REUSED' }] });
}

/** For tests and the CLI: the code an app would show for this account now. */
export async function currentTotpCode(
  deps: Pick<Deps, 'db' | 'keyring'>,
  tenantId: string,
  accountId: string,
  at: Date,
  pending = false,
): Promise<string> {
  const row = await one<{ k: Buffer | null }>(
    deps.db,
    `SELECT ${pending ? 'totp_pending_key' : 'totp_key'} AS k FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  if (row?.k == null) throw new Error('no TOTP secret');
  return generate({
    secret: secretOf(deps, row.k, tenantId, accountId),
    epoch: Math.floor(at.getTime() / 1000),
  });
}

// ---- Recovery codes -------------------------------------------------------------------------------

// 32 symbols, 5 bits each, without look-alikes: no i, l, o and no 0 (so a 1 can only be a 1).
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz123456789';

/** 26 symbols = 130 random bits, written in groups of 4 or 5 with hyphens. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(17);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out += ALPHABET.charAt(Number(bits & 31n));
    bits >>= 5n;
  }
  return out.replace(/^(.{5})(.{5})(.{5})(.{5})(.{6})$/, '$1-$2-$3-$4-$5');
}

export function normaliseRecoveryCode(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function recoveryHash(code: string): Buffer {
  return createHash('sha256')
    .update(`amtsbote-recovery\0${normaliseRecoveryCode(code)}`)
    .digest();
}

async function replaceRecoveryCodes(
  tx: Pick<Deps['db'], 'query'>,
  deps: Pick<Deps, 'clock'>,
  tenantId: string,
  accountId: string,
): Promise<string[]> {
  await tx.query(`DELETE FROM account_recovery_codes WHERE tenant_id = $1 AND account_id = $2`, [
    tenantId,
    accountId,
  ]);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
  for (const c of codes) {
    await tx.query(
      `INSERT INTO account_recovery_codes (tenant_id, account_id, code_hash, created_at) VALUES ($1, $2, $3, $4)`,
      [tenantId, accountId, recoveryHash(c), deps.clock.now()],
    );
  }
  return codes;
}

/** A new set of recovery codes; the old ones stop working. */
export async function regenerateRecoveryCodes(
  deps: Deps,
  input: { tenantId: string; accountId: string; ipPrefix: string | undefined },
): Promise<string[]> {
  return deps.db.transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, deps, input.tenantId, input.accountId);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.accountId },
      action: 'account.recovery_codes_renewed',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
    });
    return codes;
  });
}

/**
 * Uses one recovery code in place of a TOTP code.
 * @throws {AppError} ERR_TOTP_INVALID when it is unknown or used.
 */
export async function useRecoveryCode(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { tenantId: string; accountId: string; code: string; ipPrefix: string | undefined },
): Promise<void> {
  if (normaliseRecoveryCode(input.code).length !== 26)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  const used = await deps.db.query(
    `UPDATE account_recovery_codes SET used_at = $4 WHERE tenant_id = $1 AND account_id = $2 AND code_hash = $3 AND used_at IS NULL RETURNING account_id`,
    [input.tenantId, input.accountId, recoveryHash(input.code), deps.clock.now()],
  );
  if (used.length === 0)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  await recordAudit(deps.db, {
    tenantId: input.tenantId,
    at: deps.clock.now(),
    actor: { kind: 'account', id: input.accountId },
    action: 'account.recovery_code_used',
    subject: { kind: 'account', id: input.accountId },
    ipPrefix: input.ipPrefix,
  });
}

/** A TOTP code, or a recovery code when the input looks like one. */
export async function verifySecondFactor(
  deps: Deps,
  input: { tenantId: string; accountId: string; code: string; ipPrefix: string | undefined },
): Promise<'totp' | 'recovery'> {
  if (/^\s*\d{3}\s?\d{3}\s*$/.test(input.code)) {
    await verifyTotp(deps, input);
    return 'totp';
  }
  await useRecoveryCode(deps, input);
  return 'recovery';
}

/**
 * Switches TOTP off, after a valid current code (or recovery code): the secret and the recovery
 * codes are deleted.
 * @throws {AppError} ERR_TOTP_INVALID, ERR_TOTP_REUSED
 */
export async function disableTotp(
  deps: Deps,
  input: { tenantId: string; accountId: string; code: string; ipPrefix: string | undefined },
): Promise<void> {
  await verifySecondFactor(deps, input);
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE accounts SET totp_key = NULL, totp_pending_key = NULL, totp_enabled_at = NULL WHERE tenant_id = $1 AND id = $2`,
      [input.tenantId, input.accountId],
    );
    await tx.query(`DELETE FROM account_recovery_codes WHERE tenant_id = $1 AND account_id = $2`, [
      input.tenantId,
      input.accountId,
    ]);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.accountId },
      action: 'account.totp_disabled',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
    });
  });
}
