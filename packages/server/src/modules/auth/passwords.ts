import { hash, verify } from '@node-rs/argon2';

// OWASP's Argon2id baseline (m=19 MiB, t=2, p=1): ~25 ms here, which caps guessing at the
// rate limit long before the CPU.
const params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, params);
}

// Verifying against this when the account does not exist takes as long as a real check, so
// response time does not tell which addresses have accounts.
let dummyHash: Promise<string> | undefined;

/** Checks a password against a stored hash (or a dummy when there is none), in constant-ish time. */
export async function checkPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (storedHash === null || storedHash === undefined) {
    dummyHash ??= hashPassword('not-a-password-of-anyone');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
