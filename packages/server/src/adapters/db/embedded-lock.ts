import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { chmod, link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import path from 'node:path';

export class EmbeddedDatabaseBusyError extends Error {
  constructor(pid: number | undefined) {
    super(
      `the embedded database is in use by ${pid === undefined ? 'another process' : `process ${pid}`}; wait for it to finish or stop it`,
    );
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

/** What a lock file says about its holder. Files written before this format hold the pid alone. */
export interface LockRecord {
  pid: number;
  /** Random per acquisition; names the holder's liveness socket and marks the locks held here. */
  instance?: string;
  /** Field 22 of /proc/PID/stat: with the pid, it names one process even across PID reuse. */
  startTime?: string;
  bootId?: string;
  /** Whether the holder listens on `run/lock-INSTANCE.sock` for as long as it lives. */
  socket?: boolean;
}

/** What the one judging a lock knows about this machine, this process and the holder. */
export interface LockFacts {
  pid: number;
  bootId: string | undefined;
  heldHere(instance: string): boolean;
  alive(pid: number): boolean;
  startTime(pid: number): string | undefined;
  /** The holder's liveness socket: the kernel closes it when the holder dies, in any namespace. */
  socket: 'answers' | 'refused' | 'unknown';
}

/**
 * Why a lock is stale, or undefined while its holder may be alive. The liveness socket decides
 * when it answers or is refused, because it works across PID namespaces (a portal restarted in a
 * container is PID 1 again, and a second container on the same volume is PID 1 too). Without it
 * the pid decides, together with the process's start time and the boot it was taken in.
 */
export function staleReason(lock: LockRecord, facts: LockFacts): string | undefined {
  if (lock.bootId !== undefined && facts.bootId !== undefined && lock.bootId !== facts.bootId) {
    return 'it was taken before the machine last booted';
  }
  if (facts.socket === 'answers') return undefined;
  if (facts.socket === 'refused') return 'its holder no longer answers on its socket';
  if (lock.pid === facts.pid) {
    if (lock.instance !== undefined && facts.heldHere(lock.instance)) return undefined;
    return 'it names this process, so an earlier run with the same pid left it';
  }
  if (!facts.alive(lock.pid)) return `process ${lock.pid} is gone`;
  const now = lock.startTime === undefined ? undefined : facts.startTime(lock.pid);
  if (now !== undefined && now !== lock.startTime) {
    return `process ${lock.pid} is another process that was started later`;
  }
  return undefined;
}

export function parseLockRecord(text: string): LockRecord | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return validPid(Number(trimmed));
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const base = typeof r.pid === 'number' ? validPid(r.pid) : undefined;
  if (base === undefined) return undefined;
  const str = (v: unknown, re: RegExp) => (typeof v === 'string' && re.test(v) ? v : undefined);
  const instance = str(r.instance, /^[0-9a-f]{16}$/);
  const startTime = str(r.startTime, /^\d+$/);
  const bootId = str(r.bootId, /^[0-9a-f-]{36}$/);
  return {
    ...base,
    ...(instance === undefined ? {} : { instance }),
    ...(startTime === undefined ? {} : { startTime }),
    ...(bootId === undefined ? {} : { bootId }),
    ...(r.socket === true && instance !== undefined ? { socket: true } : {}),
  };
}

function validPid(pid: number): LockRecord | undefined {
  return Number.isInteger(pid) && pid > 0 ? { pid } : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/PID/stat; undefined off Linux or when the process is gone. */
export function processStartTime(pid: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

export function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Instances this process holds now: a lock naming our own pid is ours only if listed here. */
const heldHere = new Set<string>();

/** A lock file being written is empty for a moment; past this age an unreadable one is debris. */
const UNREADABLE_GRACE_MS = 10_000;

export interface LockOptions {
  /** How long to wait for a live holder before giving up (0: not at all). */
  waitMs?: number;
  /** Told once for each stale lock taken over, with the reason (for the log). */
  onTakeover?: (takeover: { pid: number | undefined; reason: string }) => void;
}

/**
 * PGlite must never be opened by two processes at once (the files would be corrupted), so
 * whoever opens DATA_DIR/db directly holds DATA_DIR/run/embedded.lock. The file names the
 * holder (pid, start time, boot, a random instance id) and the holder listens on a unix socket
 * beside it while it lives; a lock whose holder is gone (crash, kill -9, restart as the same
 * pid) is taken over, see `staleReason`.
 * @throws {EmbeddedDatabaseBusyError} when a live process holds the lock after `waitMs`.
 */
export async function acquireEmbeddedLock(
  dataDir: string,
  options: LockOptions = {},
): Promise<() => Promise<void>> {
  const dir = path.join(dataDir, 'run');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'embedded.lock');
  const instance = randomBytes(8).toString('hex');
  const server = await listenLiveness(socketPath(dir, instance));
  const own: LockRecord = {
    pid: process.pid,
    instance,
    ...optional('startTime', processStartTime(process.pid)),
    ...optional('bootId', currentBootId()),
    ...(server === undefined ? {} : { socket: true }),
  };
  const deadline = Date.now() + (options.waitMs ?? 0);
  // Listed before the file exists: another acquisition in this process that reads it meanwhile
  // must see a live holder, not "our pid, so an earlier run".
  heldHere.add(instance);
  try {
    for (;;) {
      if (await tryCreate(file, own)) break;
      const found = await readLock(file);
      if (found === undefined) continue;
      const reason = await judge(dir, found);
      if (reason !== undefined) {
        if (await takeOver(dir, file, found.text)) {
          options.onTakeover?.({ pid: found.lock?.pid, reason });
        }
        continue;
      }
      if (Date.now() >= deadline) throw new EmbeddedDatabaseBusyError(found.lock?.pid);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    heldHere.delete(instance);
    await closeLiveness(server, socketPath(dir, instance));
    throw err;
  }
  return async () => {
    heldHere.delete(instance);
    // Only our own lock is removed: had another process wrongly taken it, it stays theirs.
    const now = await readLock(file);
    if (now?.lock?.instance === instance) await rm(file, { force: true });
    await closeLiveness(server, socketPath(dir, instance));
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function socketPath(dir: string, instance: string): string {
  return path.join(dir, `lock-${instance}.sock`);
}

async function tryCreate(file: string, own: LockRecord): Promise<boolean> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(`${JSON.stringify(own)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

/** The lock file's text and record; undefined when it vanished meanwhile (try again). */
async function readLock(
  file: string,
): Promise<{ text: string; lock: LockRecord | undefined; ageMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, lock: parseLockRecord(text), ageMs: Date.now() - info.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function judge(
  dir: string,
  found: { lock: LockRecord | undefined; ageMs: number },
): Promise<string | undefined> {
  if (found.lock === undefined) {
    return found.ageMs < UNREADABLE_GRACE_MS ? undefined : 'the lock file is unreadable';
  }
  const { lock } = found;
  const socket =
    lock.socket === true && lock.instance !== undefined
      ? await probe(socketPath(dir, lock.instance))
      : 'unknown';
  return staleReason(lock, {
    pid: process.pid,
    bootId: currentBootId(),
    heldHere: (i) => heldHere.has(i),
    alive,
    startTime: processStartTime,
    socket,
  });
}

/**
 * Removes the stale lock whose text we judged. It is first renamed aside, so that a lock another
 * process created in the meantime (after taking over the same stale one) is never deleted: it is
 * put back instead. Returns whether the stale lock was removed by us.
 */
async function takeOver(dir: string, file: string, judgedText: string): Promise<boolean> {
  const aside = path.join(dir, `embedded.lock.${randomBytes(8).toString('hex')}.stale`);
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const text = await readFile(aside, 'utf8').catch(() => undefined);
  if (text !== judgedText) {
    await link(aside, file).catch(() => undefined);
    await rm(aside, { force: true });
    return false;
  }
  await rm(aside, { force: true });
  const stale = parseLockRecord(text);
  if (stale?.instance !== undefined) await rm(socketPath(dir, stale.instance), { force: true });
  return true;
}

/** Whether a unix socket has a listener: refused means none (the kernel closed it at death). */
function probe(p: string): Promise<LockFacts['socket']> {
  return new Promise((resolve) => {
    const s = connect(p);
    const timer = setTimeout(() => {
      s.destroy();
      resolve('unknown');
    }, 2_000);
    s.once('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve('answers');
    });
    s.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // ENOENT: someone removed the socket file; that says nothing about the holder.
      resolve(err.code === 'ECONNREFUSED' ? 'refused' : 'unknown');
    });
  });
}

/**
 * A socket that accepts and drops connections for as long as this process lives. The kernel
 * answers a connect even while the event loop is busy (PGlite runs on it), and refuses once the
 * process is gone. Undefined where unix sockets cannot be made (path too long, odd filesystem):
 * the lock then relies on the pid alone.
 */
async function listenLiveness(p: string): Promise<Server | undefined> {
  const server = createServer((c) => c.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch {
    return undefined;
  }
  // Never keeps a CLI process alive by itself.
  server.unref();
  await chmod(p, 0o600).catch(() => undefined);
  return server;
}

async function closeLiveness(server: Server | undefined, p: string): Promise<void> {
  if (server === undefined) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(p, { force: true });
}
