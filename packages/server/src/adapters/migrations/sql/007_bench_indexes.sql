-- Indexes found missing by the benchmarks (bench/api-load.bench.ts, docs/benchmarks.md).

-- The postbox (listPostbox: a staff member's sent transfers and replies to them, newest first,
-- 50 at a time) filters on `sender_staff_id = $2 OR to_staff_id = $2`, which no single index
-- orders; for a staff member who sent most of the tenant's transfers (a central Poststelle) the
-- planner then reads all of them and sorts: 45 ms per page at 100 000 transfers, and a p99 of
-- 1.5 s at 64 connections. With this index it walks the tenant's transfers newest first and
-- stops after 50 matches (0.5 ms); for staff with few transfers it keeps the bitmap scan of
-- transfers_sender / transfers_to_staff, as the statistics tell it which is cheaper.
CREATE INDEX transfers_postbox_time ON transfers (tenant_id, created_at DESC) WHERE status <> 'draft';
