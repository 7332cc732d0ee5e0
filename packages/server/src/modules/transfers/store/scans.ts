import type { Queryable } from '../../../adapters/db/index.ts';

// The malware scan's SQL on transfer files (the scan itself runs in the postbox module, which
// tells the department and the sender about a hit).

/** A file a node claimed for scanning, with a lease. */
export interface ClaimedScan {
  tenant_id: string;
  id: string;
  transfer_id: string;
  scan_attempts: number;
}

/**
 * Claims up to `batch` files waiting for a scan, oldest first, each with a lease until
 * `leaseUntil` (SKIP LOCKED: several nodes share the work, a crashed node's claims run out).
 */
export async function claimPendingScans(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  batch: number,
): Promise<ClaimedScan[]> {
  return q.query<ClaimedScan>(
    `UPDATE transfer_files f SET scan_lease_until = $2, scan_attempts = f.scan_attempts + 1
     WHERE (f.tenant_id, f.id) IN (
       SELECT f2.tenant_id, f2.id FROM transfer_files f2 JOIN transfers t ON t.tenant_id = f2.tenant_id AND t.id = f2.transfer_id
       WHERE f2.scan_status = 'pending' AND f2.completed_at IS NOT NULL AND f2.file_key IS NOT NULL AND t.ended_at IS NULL
         AND (f2.scan_next_at IS NULL OR f2.scan_next_at <= $1) AND (f2.scan_lease_until IS NULL OR f2.scan_lease_until <= $1)
       ORDER BY f2.scan_next_at NULLS FIRST LIMIT $3 FOR UPDATE OF f2 SKIP LOCKED)
     RETURNING f.tenant_id, f.id, f.transfer_id, f.scan_attempts`,
    [now, leaseUntil, batch],
  );
}

/** Gives a claimed file back, to be tried again from `nextAt`. */
export async function releaseScan(
  q: Queryable,
  tenantId: string,
  fileId: string,
  nextAt: Date,
): Promise<void> {
  await q.query(
    `UPDATE transfer_files SET scan_lease_until = NULL, scan_next_at = $3 WHERE tenant_id = $1 AND id = $2 AND scan_status = 'pending'`,
    [tenantId, fileId, nextAt],
  );
}

export async function markScannedClean(
  q: Queryable,
  tenantId: string,
  fileId: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE transfer_files SET scan_status = 'clean', scanned_at = $3, scan_lease_until = NULL WHERE tenant_id = $1 AND id = $2 AND scan_status = 'pending'`,
    [tenantId, fileId, at],
  );
}

/**
 * Quarantines a pending file: the verdict is kept, the key forgotten, its blobs queued for
 * deletion and its segments removed. In the caller's transaction.
 * @returns false when the file was no longer pending (nothing changed)
 */
export async function quarantineFileRows(
  q: Queryable,
  tenantId: string,
  fileId: string,
  verdict: { status: 'infected' | 'failed'; signature: string; at: Date },
): Promise<boolean> {
  const moved = await q.query(
    `UPDATE transfer_files SET scan_status = $3, scan_signature = $4, scanned_at = $5, scan_lease_until = NULL, file_key = NULL
     WHERE tenant_id = $1 AND id = $2 AND scan_status = 'pending' RETURNING id`,
    [tenantId, fileId, verdict.status, verdict.signature, verdict.at],
  );
  if (moved.length === 0) return false;
  await q.query(
    `INSERT INTO blob_deletions (blob_key, queued_at) SELECT blob_key, $3 FROM file_segments WHERE tenant_id = $1 AND file_id = $2 ON CONFLICT DO NOTHING`,
    [tenantId, fileId, verdict.at],
  );
  await q.query(`DELETE FROM file_segments WHERE tenant_id = $1 AND file_id = $2`, [tenantId, fileId]);
  return true;
}

/** Who hears of a quarantined file: its sender (guest or recipient replying) and where it went. */
export interface QuarantineAddressees {
  email: string | null;
  locale: 'de' | 'en' | null;
  department: string | null;
  department_id: string | null;
  staff_email: string | null;
}

export async function quarantineAddressees(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<QuarantineAddressees[]> {
  return q.query<QuarantineAddressees>(
    `-- reads departments (owner: tenants), staff (owner: staff): the names and addresses for the notices, in one query
     SELECT coalesce(g.email, r.email) AS email, coalesce(g.locale, r.locale) AS locale, d.name AS department,
       t.to_department_id AS department_id, s.email AS staff_email
     FROM transfers t
     LEFT JOIN transfer_guests g ON g.tenant_id = t.tenant_id AND g.transfer_id = t.id
     LEFT JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id
     LEFT JOIN staff s ON s.tenant_id = t.tenant_id AND s.id = t.to_staff_id AND s.status = 'active'
     WHERE t.tenant_id = $1 AND t.id = $2`,
    [tenantId, transferId],
  );
}
