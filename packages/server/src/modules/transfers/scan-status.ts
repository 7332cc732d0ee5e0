import type { Queryable } from '../../adapters/db/index.ts';
import type { Scanner } from '../../adapters/scanner/types.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { setFilesScanStatus } from './store/files.ts';

/**
 * Where a file stands with the malware scan (migration 004). Staff's own outbound files need
 * none; everything that comes in waits for the scanner and is served only once it passed.
 */
export type ScanStatus = 'not_required' | 'pending' | 'clean' | 'infected' | 'failed' | 'unscanned' | 'e2e';

/** The statuses whose content may be served. `unscanned`: no scanner is configured at all. */
const SERVABLE: ReadonlySet<ScanStatus> = new Set(['not_required', 'clean', 'unscanned', 'e2e']);

export function isServable(status: ScanStatus): boolean {
  return SERVABLE.has(status);
}

/**
 * Refuses to serve a file that has not passed the scan: pending (ERR_SCAN_PENDING), quarantined
 * or unscannable (ERR_FILE_QUARANTINED). The one check every download path goes through.
 */
export function assertServable(status: ScanStatus): void {
  if (status === 'pending') throw new AppError('ERR_SCAN_PENDING');
  if (status === 'infected' || status === 'failed') throw new AppError('ERR_FILE_QUARANTINED');
}

/**
 * Puts the files of an incoming transfer in line for the scanner, in the transaction that makes
 * the transfer visible: `pending` with a scanner, `unscanned` without one. End-to-end encrypted
 * files cannot be scanned by the server and say so (`e2e`).
 */
export async function queueForScan(
  q: Queryable,
  deps: Pick<AppDeps, 'clock'> & { scanner: Pick<Scanner, 'kind'> },
  tenantId: string,
  transferId: string,
  opts: { e2e: boolean },
): Promise<void> {
  const status: ScanStatus = opts.e2e ? 'e2e' : deps.scanner.kind === 'none' ? 'unscanned' : 'pending';
  await setFilesScanStatus(q, tenantId, transferId, status, deps.clock.now());
}
