import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Random identifiers and secrets. Tokens are 256-bit (well above the 128-bit floor) and only
 * their SHA-256 is stored: a leaked database opens nothing, and an unsalted hash suffices
 * because the input has full entropy.
 */
export interface Secrets {
  /** A v4 UUID for a new row. */
  id(): string;
  /** A URL-safe secret token with `bytes` bytes of randomness (default 32). */
  token(bytes?: number): string;
}

export const randomSecrets: Secrets = {
  id: () => randomUUID(),
  token: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};

/** What the database stores for a token. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time comparison of two byte strings of possibly different length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** A token from a URL or header has this shape; anything else is rejected before any lookup. */
export function looksLikeToken(s: string): boolean {
  return /^[A-Za-z0-9_-]{22,128}$/.test(s);
}
