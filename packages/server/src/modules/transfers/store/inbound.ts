import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// What the inbound modules (drop-off, upload links) ask of `transfers`: the confirmation a
// sender sees, a draft's encryption, and what arrived through an upload link.

/** What the sender's confirmation page shows of a delivered inbound transfer. */
export interface InboundReceipt {
  expiresAt: Date;
  notifyOnDownload: boolean;
  e2e: string | null;
  /** The department it went to. */
  department: string;
}

export async function inboundReceipt(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<InboundReceipt | undefined> {
  const r = await one<{
    expires_at: Date;
    notify_on_download: boolean;
    e2e: string | null;
    department: string;
  }>(
    q,
    `SELECT t.expires_at, t.notify_on_download, t.e2e, d.name AS department FROM transfers t
     -- reads departments (owner: tenants): the page names where it went, one join not a second query
     JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id WHERE t.tenant_id = $1 AND t.id = $2`,
    [tenantId, transferId],
  );
  return r === undefined
    ? undefined
    : {
        expiresAt: r.expires_at,
        notifyOnDownload: r.notify_on_download,
        e2e: r.e2e,
        department: r.department,
      };
}

/**
 * How a transfer is end-to-end encrypted (`password`, `department`, …): null when it is not,
 * undefined when there is no such transfer.
 */
export async function transferE2eMode(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<string | null | undefined> {
  const r = await one<{ e2e: string | null }>(
    q,
    `SELECT e2e FROM transfers WHERE tenant_id = $1 AND id = $2`,
    [tenantId, transferId],
  );
  return r?.e2e;
}

/** What arrived through an upload link (drafts left out), in the order it was sent. */
export async function uploadLinkSubmissions(
  q: Queryable,
  tenantId: string,
  uploadLinkId: string,
): Promise<{ transferId: string; sentAt: Date | null; status: string }[]> {
  return q.query(
    `SELECT id AS "transferId", sent_at AS "sentAt", status FROM transfers WHERE tenant_id = $1 AND upload_link_id = $2 AND status <> 'draft' ORDER BY sent_at`,
    [tenantId, uploadLinkId],
  );
}
