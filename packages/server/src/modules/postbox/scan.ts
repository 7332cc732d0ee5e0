import { MINUTE } from '../../adapters/clock.ts';
import { ScannerUnavailableError, ScanRefusedError } from '../../adapters/scanner/types.ts';
import type { AppDeps } from '../../deps.ts';
import { recordAudit } from '../audit/index.ts';
import { listTenants, tenantBaseUrl } from '../tenants/index.ts';
import type { ClaimedScan } from '../transfers/index.ts';
import {
  claimPendingScans,
  drainBlobDeletions,
  markScannedClean,
  quarantineAddressees,
  quarantineFileRows,
  readFile,
  releaseScan,
} from '../transfers/index.ts';
import { departmentStaffEmails } from './departments.ts';
import { quarantineGuestMail, quarantineStaffMail } from './mails.ts';
import { inboundNumber } from './number.ts';

type Deps = Pick<
  AppDeps,
  'db' | 'blobs' | 'clock' | 'secrets' | 'keyring' | 'scanner' | 'mailer' | 'config' | 'logger'
>;

/** A claimed file is someone's for this long; a node that dies mid-scan frees it by timing out. */
const LEASE_MS = 15 * MINUTE;
/** Waits between tries while the scanner is down: quick at first, then every 10 minutes. */
const BACKOFF_MS = [30_000, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE];

export interface ScanRound {
  clean: number;
  infected: number;
  failed: number;
  /** Files still waiting because the scanner did not answer. */
  waiting: number;
}

type Claimed = ClaimedScan;

/**
 * Scans what waits (`pending`), oldest first. Each file is claimed with a lease (SKIP LOCKED), so
 * several nodes share the work and a crashed node's claims run out; the content is streamed
 * from the blob store, decrypted on the way, straight into the scanner. A clean file is released;
 * a hit quarantines it (content destroyed at once, never served) and tells the sender and the
 * department; a scanner that does not answer leaves the file waiting, to be tried again with
 * growing pauses. Never releases anything unscanned.
 */
export async function scanPendingOnce(deps: Deps, batch = 20): Promise<ScanRound> {
  const round: ScanRound = { clean: 0, infected: 0, failed: 0, waiting: 0 };
  // Without a scanner nothing is ever "pending" (files are marked unscanned at arrival); files
  // left pending from a time with a scanner keep waiting for one rather than being released.
  if (deps.scanner.kind === 'none') return round;
  for (;;) {
    const now = deps.clock.now();
    const claimed = await claimPendingScans(deps.db, now, new Date(now.getTime() + LEASE_MS), batch);
    if (claimed.length === 0) return round;
    for (const [i, file] of claimed.entries()) {
      const outcome = await scanOne(deps, file);
      if (outcome === 'unavailable') {
        // The scanner is down: this file and every other claimed one wait for the next round.
        for (const rest of claimed.slice(i)) await release(deps, rest, true);
        round.waiting += claimed.length - i;
        return round;
      }
      round[outcome] += 1;
    }
    if (claimed.length < batch) return round;
  }
}

async function release(deps: Pick<Deps, 'db' | 'clock'>, file: Claimed, backoff: boolean): Promise<void> {
  const wait =
    BACKOFF_MS[Math.min(Math.max(file.scan_attempts - 1, 0), BACKOFF_MS.length - 1)] ?? 10 * MINUTE;
  await releaseScan(
    deps.db,
    file.tenant_id,
    file.id,
    new Date(deps.clock.now().getTime() + (backoff ? wait : 0)),
  );
}

async function scanOne(deps: Deps, file: Claimed): Promise<'clean' | 'infected' | 'failed' | 'unavailable'> {
  let verdict;
  try {
    const content = await readFile(deps, file.tenant_id, file.id, undefined, { forScan: true });
    verdict = await deps.scanner.scan(content);
  } catch (err) {
    if (err instanceof ScanRefusedError) {
      await quarantine(deps, file, 'failed', `not scannable: ${err.reason}`);
      return 'failed';
    }
    if (err instanceof ScannerUnavailableError) {
      deps.logger.warn(
        { err, file: file.id },
        'malware scanner unavailable; files wait and are scanned again later',
      );
      return 'unavailable';
    }
    // Reading the file failed (e.g. the blob store): try this file again later, go on with others.
    deps.logger.error({ err, file: file.id }, 'scanning a file failed; it stays pending');
    await release(deps, file, true);
    return 'unavailable';
  }
  if (verdict.verdict === 'infected') {
    await quarantine(deps, file, 'infected', verdict.signature);
    return 'infected';
  }
  if (verdict.verdict === 'unscanned') {
    // A scanner that does not look is never a pass when a scanner is configured.
    await release(deps, file, true);
    return 'unavailable';
  }
  await deps.db.transaction(async (tx) => {
    await markScannedClean(tx, file.tenant_id, file.id, deps.clock.now());
    await recordAudit(tx, {
      tenantId: file.tenant_id,
      at: deps.clock.now(),
      actor: { kind: 'system' },
      action: 'file.scanned',
      subject: { kind: 'transfer', id: file.transfer_id },
      details: { file: file.id, result: 'clean' },
    });
  });
  return 'clean';
}

/**
 * Quarantine: the file stays listed (name, size, what was found) but its content is destroyed at
 * once — key forgotten, blobs queued for deletion — so nothing can ever serve it. Sender and
 * department are told.
 */
async function quarantine(
  deps: Deps,
  file: Claimed,
  status: 'infected' | 'failed',
  signature: string,
): Promise<void> {
  const now = deps.clock.now();
  const notice = await deps.db.transaction(async (tx) => {
    const moved = await quarantineFileRows(tx, file.tenant_id, file.id, {
      status,
      signature: signature.slice(0, 200),
      at: now,
    });
    if (!moved) return undefined;
    await recordAudit(tx, {
      tenantId: file.tenant_id,
      at: now,
      actor: { kind: 'system' },
      action: status === 'infected' ? 'file.quarantined' : 'file.unscannable',
      subject: { kind: 'transfer', id: file.transfer_id },
      details: { file: file.id, signature: signature.slice(0, 200) },
    });
    return quarantineAddressees(tx, file.tenant_id, file.transfer_id);
  });
  // The content goes now; should that fail, the sweep finishes the queue.
  await drainBlobDeletions(deps).catch((err: unknown) => {
    deps.logger.warn({ err }, 'deleting quarantined blobs failed; the sweep retries');
  });
  const info = notice?.[0];
  if (info === undefined) return;
  const tenant = (await listTenants(deps.db)).find((t) => t.id === file.tenant_id);
  if (tenant === undefined) return;
  const lang = tenant.settings.defaultLocale ?? 'de';
  const department = info.department ?? tenant.name;
  const number = inboundNumber(file.transfer_id);
  const staff = new Set<string>();
  if (info.department_id !== null)
    for (const e of await departmentStaffEmails(deps.db, file.tenant_id, info.department_id)) staff.add(e);
  if (info.staff_email !== null) staff.add(info.staff_email);
  const link = `${tenantBaseUrl(tenant, deps.config)}/${info.department_id === null ? 'transfers' : 'inbox'}/${file.transfer_id}`;
  const mails = [
    ...[...staff].map((to) =>
      quarantineStaffMail(to, lang, { department, tenantName: tenant.name, link, reason: status }),
    ),
    ...(info.email === null
      ? []
      : [
          quarantineGuestMail(info.email, info.locale ?? lang, {
            department,
            tenantName: tenant.name,
            number,
            reason: status,
          }),
        ]),
  ];
  for (const m of mails) {
    await deps.mailer.send(m).catch((err: unknown) => {
      deps.logger.warn({ err, transfer: file.transfer_id }, 'quarantine notice not sent');
    });
  }
}

// Scans started right after an upload arrived, so tests and shutdown can wait for them.
const inflight = new Set<Promise<unknown>>();

/** Starts a scan round now, in the background (an upload just arrived); errors are logged. */
export function kickScan(deps: Deps): void {
  if (deps.scanner.kind === 'none') return;
  const p = scanPendingOnce(deps)
    .catch((err: unknown) => {
      deps.logger.error({ err }, 'scan round failed');
    })
    .finally(() => inflight.delete(p));
  inflight.add(p);
}

/** Waits for the background scans {@link kickScan} started. */
export async function settleScans(): Promise<void> {
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
}

/** Scans every `intervalMs` until stopped (files wait while the scanner is down). */
export function startScanJob(deps: Deps): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= scanPendingOnce(deps)
      .then(() => undefined)
      .catch((err: unknown) => {
        deps.logger.error({ err }, 'scan round failed; retrying next round');
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, deps.config.scanIntervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await settleScans();
    },
  };
}
