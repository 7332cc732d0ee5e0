-- Indexes the set-based retention sweep (modules/transfers/expiry.ts) needs at a million rows
-- (bench/retention-sweep.bench.ts).

-- Metadata retention deletes ended transfers in batches per tenant; without this each batch
-- scanned the whole table for `ended_at <= cutoff` (and stepped again over the rows the batches
-- before it had just deleted).
CREATE INDEX transfers_ended ON transfers (tenant_id, ended_at) WHERE ended_at IS NOT NULL;

-- Deleting a transfer cascades to its recipients, and deleting a recipient sets
-- transfers.sender_recipient_id NULL where a reply came from it (ON DELETE SET NULL): without an
-- index that is one sequential scan of transfers per deleted recipient.
CREATE INDEX transfers_sender_recipient ON transfers (tenant_id, sender_recipient_id) WHERE sender_recipient_id IS NOT NULL;

-- Ending a transfer deletes all its end-to-end envelopes; the unique indexes of migration 006 cover
-- only the sender's and the department's, not the recipients'.
CREATE INDEX transfer_envelopes_transfer ON transfer_envelopes (tenant_id, transfer_id);

-- The postbox no longer needs the tenant-wide timeline of migration 007: listPostbox reads the
-- sent and the received branch from transfers_sender and transfers_to_staff, each newest first,
-- one page each. The index only cost a write on every new and every ended transfer.
DROP INDEX IF EXISTS transfers_postbox_time;
