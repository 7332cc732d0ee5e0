-- The department postbox (modules/postbox/service.ts, listInbox): one branch for what was addressed
-- to the caseworker personally, one per department of theirs, each walked newest first by its own
-- index and cut after one page (or one search window) before anything is decrypted. Without these
-- the listing read every incoming transfer of the caseworker's departments and sorted them for
-- each page (docs/inbound.md, "Scale"). The id breaks ties between equal receipt times, so the
-- keyset cursor of the "more" link is exact.
CREATE INDEX transfers_inbox_department ON transfers (tenant_id, to_department_id, sent_at DESC, id DESC)
  WHERE inbound IS NOT NULL AND to_staff_id IS NULL AND status <> 'draft';
CREATE INDEX transfers_inbox_staff ON transfers (tenant_id, to_staff_id, sent_at DESC, id DESC)
  WHERE inbound IS NOT NULL AND to_staff_id IS NOT NULL AND status <> 'draft';
