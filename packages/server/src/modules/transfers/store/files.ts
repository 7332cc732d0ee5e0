import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { ScanStatus } from '../scan-status.ts';

// A file's content: its row (key, size, how much arrived) and its encrypted segments.

export interface StoredFileRow {
  transfer_id: string;
  size: number;
  received: number;
  file_key: Buffer | null;
  completed_at: Date | null;
  scan_status: ScanStatus;
}

export async function storedFileRow(
  q: Queryable,
  tenantId: string,
  fileId: string,
): Promise<StoredFileRow | undefined> {
  return one<StoredFileRow>(
    q,
    `SELECT transfer_id, size, received, file_key, completed_at, scan_status FROM transfer_files WHERE tenant_id = $1 AND id = $2`,
    [tenantId, fileId],
  );
}

/**
 * Commits one segment: moves the file's offset from `start` by `length` (complete when it
 * reaches `size`) and records the segment's blob. False when another writer moved the offset
 * first, or the file has ended (no key).
 */
export async function commitSegment(
  tx: Queryable,
  tenantId: string,
  s: { fileId: string; start: number; length: number; blobKey: string; size: number; at: Date },
): Promise<boolean> {
  const moved = await tx.query(
    `UPDATE transfer_files SET received = received + $4, completed_at = CASE WHEN received + $4 = $5 THEN $6::timestamptz ELSE NULL END
     WHERE tenant_id = $1 AND id = $2 AND received = $3 AND file_key IS NOT NULL RETURNING id`,
    [tenantId, s.fileId, s.start, s.length, s.size, s.at],
  );
  if (moved.length === 0) return false;
  await tx.query(
    `INSERT INTO file_segments (tenant_id, file_id, start, length, blob_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [tenantId, s.fileId, s.start, s.length, s.blobKey, s.at],
  );
  return true;
}

/** A file's segments in order. */
export async function segmentsOf(
  q: Queryable,
  tenantId: string,
  fileId: string,
): Promise<{ start: number; length: number; blob_key: string }[]> {
  return q.query<{ start: number; length: number; blob_key: string }>(
    `SELECT start, length, blob_key FROM file_segments WHERE tenant_id = $1 AND file_id = $2 ORDER BY start`,
    [tenantId, fileId],
  );
}

/** A transfer's files put in line for the scanner with this status (see queueForScan). */
export async function setFilesScanStatus(
  q: Queryable,
  tenantId: string,
  transferId: string,
  status: ScanStatus,
  nextAt: Date,
): Promise<void> {
  await q.query(
    `UPDATE transfer_files SET scan_status = $3, scan_next_at = $4, scan_attempts = 0 WHERE tenant_id = $1 AND transfer_id = $2`,
    [tenantId, transferId, status, nextAt],
  );
}
