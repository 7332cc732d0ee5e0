import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './adapters/db/index.ts';
import { one } from './adapters/db/index.ts';
import { equalBytes } from './adapters/secrets.ts';
import { decodeKey } from './config.ts';

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export function masterKeyFile(dataDir: string): string {
  return path.join(dataDir, 'master.key');
}

/**
 * The master key from MASTER_KEY, else from DATA_DIR/master.key, else newly generated there.
 * The database keeps a check value (an HMAC, not the key), so every node must bring the same key.
 * @returns the key and whether it was just generated (the caller warns loudly).
 * @throws {MasterKeyError} on an unreadable key file or a key that does not match the database.
 */
export async function resolveMasterKey(
  db: Db,
  opts: { masterKey: Buffer | undefined; dataDir: string },
): Promise<{ key: Buffer; generated: boolean; source: 'env' | 'file' }> {
  let key = opts.masterKey;
  let generated = false;
  let source: 'env' | 'file' = 'env';
  if (key === undefined) {
    source = 'file';
    const file = masterKeyFile(opts.dataDir);
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    });
    if (text === undefined) {
      key = randomBytes(32);
      await writeKeyFile(file, key);
      generated = true;
    } else {
      key = decodeKey(text);
      if (key === undefined) throw new MasterKeyError(`${file} does not hold a 32-byte key (base64)`);
    }
  }
  const check = createHmac('sha256', key).update('amtsbote master key check v1').digest();
  const stored = await one<{ value: string }>(
    db,
    `SELECT value FROM instance_settings WHERE name = 'master_key_check'`,
  );
  if (stored === undefined) {
    await db.query(
      `INSERT INTO instance_settings (name, value) VALUES ('master_key_check', $1) ON CONFLICT (name) DO NOTHING`,
      [check.toString('base64')],
    );
  } else if (!equalBytes(Buffer.from(stored.value, 'base64'), check)) {
    throw new MasterKeyError(
      'this master key is not the one the database was set up with; every node needs the same MASTER_KEY (or DATA_DIR/master.key)',
    );
  }
  return { key, generated, source };
}

async function writeKeyFile(file: string, key: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Not named by the pid: a portal that crashed here as PID 1 in a container is PID 1 again.
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(`${key.toString('base64')}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}
