-- Atomic rate limits (hardening): each limit is now one INSERT … ON CONFLICT … DO UPDATE … RETURNING
-- that checks and counts in the same statement. Token buckets (GCRA) need one time per key, the
-- "theoretical arrival time" (when the bucket is full again); progressive delays keep there
-- the time the next try is allowed. Expand only: the column is nullable, and the new code still
-- writes window_start (now: when the row was last touched, which the housekeeping sweep reads)
-- and hits (tokens in use, or failures in a row), so a node that runs the older code during a
-- rolling update keeps reading sensible values. Nothing needs to be contracted later.
ALTER TABLE rate_limits ADD COLUMN tat timestamptz;
