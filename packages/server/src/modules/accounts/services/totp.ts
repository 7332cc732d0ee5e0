import { generate } from 'otplib';
import type { Queryable } from '../../../adapters/db/index.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import {
  advanceTotpStep,
  clearTotp,
  enableTotp,
  hasTotp,
  setPendingTotpKey,
  wrappedTotpKey,
} from '../store/credentials.ts';
import { deleteRecoveryCodes, insertRecoveryCode, useRecoveryCodeHash } from '../store/recovery-codes.ts';
import type { TotpSetup } from '../totp-codes.ts';
import {
  matchStep,
  normaliseRecoveryCode,
  newRecoveryCode,
  RECOVERY_CODE_COUNT,
  recoveryHash,
  SECRET_BYTES,
  secretOf,
  setupOf,
  totpKeyContext,
} from '../totp-codes.ts';

/**
 * A second factor by authenticator app (RFC 6238: SHA-1, 6 digits, 30 s), with recovery codes.
 * The secret is a data key wrapped by the master key; every accepted code's time step is kept
 * so no code works twice. Codes from one step before or after are accepted (clock drift).
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

/**
 * Starts (or restarts) setting up TOTP: a fresh secret waits, unconfirmed, until a code from
 * the app proves it was stored there.
 */
export async function beginTotpSetup(
  deps: Deps,
  input: { tenantId: string; accountId: string; issuer: string; label: string },
): Promise<TotpSetup> {
  const fresh = deps.keyring.newDataKey(totpKeyContext(input.tenantId, input.accountId));
  await setPendingTotpKey(deps.db, input.tenantId, input.accountId, fresh.wrapped);
  return setupOf(fresh.key.subarray(0, SECRET_BYTES), input.issuer, input.label);
}

/** The pending setup again (re-showing the page after a wrong code). */
export async function pendingTotpSetup(
  deps: Deps,
  input: { tenantId: string; accountId: string; issuer: string; label: string },
): Promise<TotpSetup | undefined> {
  const pending = await wrappedTotpKey(deps.db, input.tenantId, input.accountId, 'pending');
  if (pending == null) return undefined;
  return setupOf(secretOf(deps, pending, input.tenantId, input.accountId), input.issuer, input.label);
}

/**
 * The setup page's secret: the one already waiting for its first code, else a fresh one.
 * @returns undefined when TOTP is on already (nothing to set up)
 */
export async function startTotpEnrolment(
  deps: Deps,
  input: { tenantId: string; accountId: string; issuer: string; label: string },
): Promise<TotpSetup | undefined> {
  if (await hasTotp(deps.db, input.tenantId, input.accountId)) return undefined;
  return (await pendingTotpSetup(deps, input)) ?? (await beginTotpSetup(deps, input));
}

/**
 * A new set of recovery codes for an account with TOTP on (the old ones stop working).
 * @returns undefined when TOTP is off (there is nothing to recover)
 */
export async function renewRecoveryCodes(
  deps: Deps,
  input: { tenantId: string; accountId: string; ipPrefix: string | undefined },
): Promise<string[] | undefined> {
  if (!(await hasTotp(deps.db, input.tenantId, input.accountId))) return undefined;
  return regenerateRecoveryCodes(deps, input);
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
  const pending = await wrappedTotpKey(deps.db, input.tenantId, input.accountId, 'pending');
  if (pending == null)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  const now = deps.clock.now();
  const step = await matchStep(secretOf(deps, pending, input.tenantId, input.accountId), input.code, now);
  if (step === undefined)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  return deps.db.transaction(async (tx) => {
    await enableTotp(tx, { tenantId: input.tenantId, accountId: input.accountId, at: now, step });
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
  const key = await wrappedTotpKey(deps.db, input.tenantId, input.accountId, 'confirmed');
  if (key == null)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  const step = await matchStep(
    secretOf(deps, key, input.tenantId, input.accountId),
    input.code,
    deps.clock.now(),
  );
  if (step === undefined)
    throw new AppError('ERR_TOTP_INVALID', { fields: [{ field: 'code', code: 'ERR_TOTP_INVALID' }] });
  // Atomic: of two requests racing with the same code only one moves the step forward.
  if (!(await advanceTotpStep(deps.db, input.tenantId, input.accountId, step)))
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
  const key = await wrappedTotpKey(deps.db, tenantId, accountId, pending ? 'pending' : 'confirmed');
  if (key == null) throw new Error('no TOTP secret');
  return generate({
    secret: secretOf(deps, key, tenantId, accountId),
    epoch: Math.floor(at.getTime() / 1000),
  });
}

// ---- Recovery codes -------------------------------------------------------------------------------

async function replaceRecoveryCodes(
  tx: Queryable,
  deps: Pick<Deps, 'clock'>,
  tenantId: string,
  accountId: string,
): Promise<string[]> {
  await deleteRecoveryCodes(tx, tenantId, accountId);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
  for (const c of codes) {
    await insertRecoveryCode(tx, { tenantId, accountId, codeHash: recoveryHash(c), at: deps.clock.now() });
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
  const used = await useRecoveryCodeHash(deps.db, {
    tenantId: input.tenantId,
    accountId: input.accountId,
    codeHash: recoveryHash(input.code),
    at: deps.clock.now(),
  });
  if (!used)
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
    await clearTotp(tx, input.tenantId, input.accountId);
    await deleteRecoveryCodes(tx, input.tenantId, input.accountId);
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
