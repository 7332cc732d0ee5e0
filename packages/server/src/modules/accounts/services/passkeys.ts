import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { MINUTE } from '../../../adapters/clock.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import type { Account } from '../service.ts';
import { getAccount } from '../service.ts';
import {
  lockWaysBesidePasskey,
  setWebauthnUserHandleIfUnset,
  webauthnUserHandle,
} from '../store/credentials.ts';
import {
  deletePasskeyRow,
  insertPasskey,
  notePasskeyUse,
  passkeyByCredential,
  passkeyCredentialsOf,
} from '../store/passkeys.ts';
import type { ChallengePurpose } from '../store/webauthn-challenges.ts';
import {
  dropExpiredWebauthnChallenges,
  insertWebauthnChallenge,
  takeWebauthnChallenge,
} from '../store/webauthn-challenges.ts';

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

type Purpose = ChallengePurpose;

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
  await dropExpiredWebauthnChallenges(deps.db, now);
  await insertWebauthnChallenge(deps.db, {
    ...input,
    at: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
  });
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
  return takeWebauthnChallenge(deps.db, { ...input, challenge: input.challenge, now: deps.clock.now() });
}

async function userHandle(deps: Deps, tenantId: string, accountId: string): Promise<Uint8Array> {
  const handle = await webauthnUserHandle(deps.db, tenantId, accountId);
  if (handle != null) return new Uint8Array(handle);
  const fresh = randomBytes(32);
  await setWebauthnUserHandleIfUnset(deps.db, tenantId, accountId, fresh);
  const again = await webauthnUserHandle(deps.db, tenantId, accountId);
  return new Uint8Array(again ?? fresh);
}

/**
 * Options for adding a passkey to the account.
 * @throws {AppError} ERR_UNAUTHENTICATED when the account is gone
 */
export async function registrationOptions(
  deps: Deps,
  input: { tenantId: string; accountId: string; rp: RelyingParty; sessionHash: Buffer },
) {
  const account = await getAccount(deps.db, input.tenantId, input.accountId);
  if (account === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  const options = await generateRegistrationOptions({
    rpName: input.rp.name,
    rpID: input.rp.id,
    userName: account.email,
    userDisplayName: account.displayName ?? account.email,
    userID: (await userHandle(deps, input.tenantId, account.id)) as Uint8Array<ArrayBuffer>,
    attestationType: 'none',
    excludeCredentials: await passkeyCredentialsOf(deps.db, input.tenantId, account.id),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  await storeChallenge(deps, {
    tenantId: input.tenantId,
    purpose: 'register',
    accountId: account.id,
    sessionHash: input.sessionHash,
    challenge: options.challenge,
  });
  return options;
}

/**
 * Stores a new passkey after checking the browser's answer.
 * @throws {AppError} ERR_PASSKEY_INVALID
 */
export async function addPasskey(
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
    await insertPasskey(tx, {
      tenantId: input.tenantId,
      id,
      accountId: input.accountId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: input.name.trim() === '' ? 'Passkey' : input.name.trim().slice(0, 100),
      at: now,
    });
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
    allowCredentials: await passkeyCredentialsOf(deps.db, input.tenantId, input.accountId),
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
  const stored = await passkeyByCredential(deps.db, input.tenantId, input.response.id);
  if (stored === undefined || (challenge.accountId !== null && challenge.accountId !== stored.accountId))
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
        publicKey: new Uint8Array(stored.publicKey),
        counter: stored.counter,
        transports: stored.transports,
      },
      requireUserVerification: false,
    });
  } catch (err) {
    throw new AppError('ERR_PASSKEY_INVALID', { cause: err });
  }
  if (!result.verified) throw new AppError('ERR_PASSKEY_INVALID');
  const now = deps.clock.now();
  await notePasskeyUse(deps.db, {
    tenantId: input.tenantId,
    id: stored.id,
    counter: result.authenticationInfo.newCounter,
    at: now,
  });
  const account = await getAccount(deps.db, input.tenantId, stored.accountId);
  if (account === undefined) throw new AppError('ERR_PASSKEY_INVALID');
  return account;
}

/** Removes a passkey. The last way to sign in cannot go (a password or another passkey must stay). */
export async function removePasskey(
  deps: Deps,
  input: { tenantId: string; accountId: string; passkeyId: string; ipPrefix: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const ways = await lockWaysBesidePasskey(tx, input.tenantId, input.accountId, input.passkeyId);
    if (ways === undefined) throw new AppError('ERR_NOT_FOUND');
    if (!ways.hasPassword && ways.otherPasskeys === 0)
      throw new AppError('ERR_VALIDATION', { fields: [{ field: 'passkey', code: 'ERR_VALIDATION' }] });
    if (!(await deletePasskeyRow(tx, input.tenantId, input.accountId, input.passkeyId)))
      throw new AppError('ERR_NOT_FOUND');
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
