import { ClamdScanner } from './clamd.ts';
import { NoScanner } from './none.ts';
import type { Scanner } from './types.ts';

export type { Scanner, ScanVerdict } from './types.ts';
export { ScannerUnavailableError, ScanRefusedError } from './types.ts';
export { ClamdScanner } from './clamd.ts';
export { NoScanner } from './none.ts';

/**
 * The scanner CLAMD_URL names: `tcp://host:port` or `unix:///path/to/clamd.ctl` for clamd; absent
 * or `none` for no scanner (files are then marked "not scanned", never silently "clean").
 * @throws {Error} for a URL of another kind (config.ts has already refused those).
 */
export function scannerFromUrl(url: string | undefined): Scanner {
  if (url === undefined || url === 'none') return new NoScanner();
  return new ClamdScanner(url);
}
