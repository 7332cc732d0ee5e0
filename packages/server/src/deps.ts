import type { Keyring } from './at-rest.ts';
import type { Clock } from './adapters/clock.ts';
import type { Db } from './adapters/db/index.ts';
import type { BlobStore } from './adapters/blobstore/types.ts';
import type { Mailer } from './adapters/mailer/types.ts';
import type { Scanner } from './adapters/scanner/types.ts';
import type { Secrets } from './adapters/secrets.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

/**
 * The I/O a running portal talks to. buildApp receives them ready-made, so tests hand in
 * in-memory or throwaway ones and the app never decides where its data lives.
 */
export interface AppDeps {
  config: Config;
  db: Db;
  blobs: BlobStore;
  mailer: Mailer;
  /** Malware scanner for incoming files (clamd, or none: files are marked "not scanned"). */
  scanner: Scanner;
  clock: Clock;
  secrets: Secrets;
  logger: Logger;
  /** Wraps per-blob data keys (encryption at rest). */
  masterKey: Buffer;
  /** The master key's operations: wrapping data keys, keyed hashes of short codes. */
  keyring: Keyring;
}
