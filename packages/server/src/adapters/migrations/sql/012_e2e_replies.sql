-- Replies at levels 3 and 4 (issues 3 and 4): a recipient answers an end-to-end message at the
-- same level. The reply's file key is wrapped in the recipient's browser for the staff member
-- the reply goes to (the original sender, holder 'addressee'), for the replying recipient's own
-- key (holder 'sender') and, where the tenant shares department outboxes, for the addressee's
-- department keys (holder 'department'). The server still holds only type-E envelopes.
ALTER TABLE transfer_envelopes DROP CONSTRAINT IF EXISTS transfer_envelopes_holder_check;
ALTER TABLE transfer_envelopes ADD CONSTRAINT transfer_envelopes_holder_check
  CHECK (holder IN ('sender', 'recipient', 'department', 'addressee'));
CREATE UNIQUE INDEX transfer_envelopes_addressee ON transfer_envelopes (tenant_id, transfer_id) WHERE holder = 'addressee';
