import { open, readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';

export class EmbeddedDatabaseBusyError extends Error {
  constructor(pid: number) {
    super(`the embedded database is in use by process ${pid}; wait for it to finish or stop it`);
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite must never be opened by two processes at once (the files would be corrupted), so
 * whoever opens DATA_DIR/db directly holds this lock file with its pid. A lock whose process is
 * gone (crash, kill -9) is taken over.
 * @throws {EmbeddedDatabaseBusyError} when a live process holds the lock after `waitMs`.
 */
export async function acquireEmbeddedLock(dataDir: string, waitMs = 0): Promise<() => Promise<void>> {
  const dir = path.join(dataDir, 'run');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'embedded.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fh = await open(file, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return async () => {
        await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) throw new EmbeddedDatabaseBusyError(pid);
    await new Promise((r) => setTimeout(r, 200));
  }
}
