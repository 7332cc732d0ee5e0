/** File keys: the random 256-bit secret of one transfer, from which every stream's keys are derived. */
import { bytes, type Bytes } from './encoding.ts';
import { InvalidParametersError } from './errors.ts';
import { systemRandom } from './webcrypto.ts';

/** Length of a file key in bytes (256 bits). */
export const FILE_KEY_LENGTH = 32;

/**
 * A fresh random 256-bit file key. One per transfer: the files and the message text of a transfer are
 * separate streams under the same file key (each stream derives its own keys from a random salt), and the
 * file key is wrapped once per recipient.
 *
 * @throws {NotSupportedError} when the platform has no secure random generator.
 */
export function generateFileKey(): Bytes {
  return systemRandom(FILE_KEY_LENGTH);
}

/**
 * @throws {InvalidParametersError} unless `fileKey` is a `Uint8Array` of 32 bytes.
 */
export function checkFileKey(fileKey: Uint8Array): Bytes {
  if (!(fileKey instanceof Uint8Array) || fileKey.length !== FILE_KEY_LENGTH) {
    throw new InvalidParametersError('a file key must be 32 bytes');
  }
  return bytes(fileKey);
}
