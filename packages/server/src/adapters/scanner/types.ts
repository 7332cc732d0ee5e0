import type { Readable } from 'node:stream';

/** What a scan found. `unscanned`: this scanner does not look at content (no scanner configured). */
export type ScanVerdict =
  { verdict: 'clean' } | { verdict: 'infected'; signature: string } | { verdict: 'unscanned' };

/**
 * A malware scanner. Content is streamed to it (never buffered whole); the scanner answers once
 * it has seen everything.
 */
export interface Scanner {
  /** `clamd` or `none` (files are released marked "not scanned"). */
  readonly kind: 'clamd' | 'none';
  /** A short description for logs and the start banner (no secrets). */
  readonly description: string;
  /**
   * Scans a stream to its end.
   * @throws {ScannerUnavailableError} when the scanner cannot be reached or fails mid-scan: the
   *   file must wait and be scanned again, never be released.
   * @throws {ScanRefusedError} when the scanner reached the content but cannot judge it (e.g.
   *   larger than its stream limit): retrying will not help.
   */
  scan(content: Readable): Promise<ScanVerdict>;
  /** Whether the scanner answers now. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The scanner is down, unreachable or broke off: try again later. */
export class ScannerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScannerUnavailableError';
  }
}

/** The scanner answered that it cannot scan this content (e.g. its size limit): final. */
export class ScanRefusedError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`scanner refused the content: ${reason}`);
    this.name = 'ScanRefusedError';
    this.reason = reason;
  }
}
