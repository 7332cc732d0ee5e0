/**
 * Byte helpers: base64url (RFC 4648 §5, unpadded, strict), UTF-8, big-endian integers, concatenation and
 * constant-time comparison. Only the base64url pair is part of the public API.
 */
import { InvalidFormatError } from './errors.ts';

/** A byte array backed by a plain `ArrayBuffer`, as WebCrypto wants it. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Views `input` as {@link Bytes}, copying only when it is backed by a `SharedArrayBuffer`. */
export function bytes(input: Uint8Array): Bytes {
  if (input.buffer instanceof ArrayBuffer) return input as Bytes;
  return new Uint8Array(input);
}

export function concat(...parts: readonly Uint8Array[]): Bytes {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths, never on their contents.
 * Use it for MACs and tags compared by hand.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

const utf8Encoder = new TextEncoder();

export function utf8(text: string): Bytes {
  return utf8Encoder.encode(text);
}

export function writeUint32(target: Uint8Array, offset: number, value: number): void {
  new DataView(target.buffer, target.byteOffset, target.byteLength).setUint32(offset, value, false);
}

export function readUint32(source: Uint8Array, offset: number): number {
  return new DataView(source.buffer, source.byteOffset, source.byteLength).getUint32(offset, false);
}

/** Writes a non-negative safe integer (below 2^53) as 8 bytes big-endian. */
export function writeUint64(target: Uint8Array, offset: number, value: number): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  view.setUint32(offset, Math.floor(value / 2 ** 32), false);
  view.setUint32(offset + 4, value >>> 0, false); // ToUint32 is the value mod 2^32, exact below 2^53
}

/**
 * Reads 8 bytes big-endian, or returns undefined when the value is not a safe integer (2^53 or more):
 * JavaScript numbers cannot hold it exactly, and no count of this package gets that large.
 */
export function readUint64(source: Uint8Array, offset: number): number | undefined {
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const high = view.getUint32(offset, false);
  if (high > 0x1fffff) return undefined;
  return high * 2 ** 32 + view.getUint32(offset + 4, false);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_INDEX[B64URL.charCodeAt(i)] = i;

/**
 * Encodes bytes as unpadded base64url (RFC 4648 §5), the text form of every binary object of this package.
 *
 * @throws never
 */
export function toBase64Url(data: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = ((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0);
    out += B64URL.charAt(n >>> 18) + B64URL.charAt((n >>> 12) & 63);
    out += B64URL.charAt((n >>> 6) & 63) + B64URL.charAt(n & 63);
  }
  const rest = data.length - i;
  if (rest > 0) {
    const n = ((data[i] ?? 0) << 16) | (rest === 2 ? (data[i + 1] ?? 0) << 8 : 0);
    out += B64URL.charAt(n >>> 18) + B64URL.charAt((n >>> 12) & 63);
    if (rest === 2) out += B64URL.charAt((n >>> 6) & 63);
  }
  return out;
}

/**
 * Decodes unpadded base64url strictly: no padding, no whitespace, no other alphabet, and no non-zero
 * trailing bits, so every byte string has exactly one accepted encoding.
 *
 * @throws {InvalidFormatError} when `text` is not canonical unpadded base64url.
 */
export function fromBase64Url(text: string): Bytes {
  const rest = text.length % 4;
  if (rest === 1) throw new InvalidFormatError('not valid base64url');
  const out = new Uint8Array(Math.floor(text.length / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (B64URL_INDEX[c] ?? -1) : -1;
    if (v < 0) throw new InvalidFormatError('not valid base64url');
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new InvalidFormatError('not valid base64url');
  return out;
}

/** Lower-case hexadecimal; used by tests, vectors and the documentation, not part of the public API. */
export function toHex(data: Uint8Array): string {
  let out = '';
  for (const b of data) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * Parses lower- or upper-case hexadecimal.
 *
 * @throws {InvalidFormatError} on odd length or a non-hex character.
 */
export function fromHex(text: string): Bytes {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new InvalidFormatError('not valid hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
