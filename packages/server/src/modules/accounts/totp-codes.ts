import { createHash, randomBytes } from 'node:crypto';
import { generateURI, ScureBase32Plugin, verify } from 'otplib';
import type { AppDeps } from '../../deps.ts';

// The arithmetic of TOTP secrets and recovery codes, without storage (totp.ts keeps them).

export const SECRET_BYTES = 20;
const TOLERANCE_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

const base32 = new ScureBase32Plugin();

export function totpKeyContext(tenantId: string, accountId: string): string {
  return `totp:${tenantId}:${accountId}`;
}

export function secretOf(
  deps: Pick<AppDeps, 'keyring'>,
  wrapped: Buffer,
  tenantId: string,
  accountId: string,
): Uint8Array {
  return new Uint8Array(
    deps.keyring.unwrap(wrapped, totpKeyContext(tenantId, accountId)).subarray(0, SECRET_BYTES),
  );
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

export function setupOf(secret: Uint8Array, issuer: string, label: string): TotpSetup {
  const encoded = base32.encode(secret).replace(/=+$/, '');
  return { uri: generateURI({ issuer, label, secret: encoded }), secret: formatSecret(secret) };
}

/** The time step a code from the app belongs to; undefined when it matches none near now. */
export async function matchStep(secret: Uint8Array, code: string, now: Date): Promise<number | undefined> {
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

export function recoveryHash(code: string): Buffer {
  return createHash('sha256')
    .update(`amtsbote-recovery\0${normaliseRecoveryCode(code)}`)
    .digest();
}
