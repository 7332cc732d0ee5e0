import type { WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';

/**
 * Destroys `stream` and removes the file it writes, in that order.
 *
 * The file stream opens its file asynchronously: removing the file before the stream has closed
 * races with that open (flags `w`/`wx` create the file), which left `.partial` plaintext behind
 * after a failed decryption. Waiting for `close` means the open, if any, has happened.
 */
export async function discardFile(stream: WriteStream, file: string): Promise<void> {
  if (!stream.closed) {
    await new Promise<void>((resolve) => {
      stream.once('close', () => {
        resolve();
      });
      stream.destroy();
    });
  }
  await rm(file, { force: true });
}
