-- A member's wrap of the organisation's key is made for one personal key (issue 6). When the
-- member replaces that key (passphrase and recovery code lost), the old wrap cannot be opened any
-- more: recording the key it was made for lets another member's browser wrap it again for the new
-- one. Wraps from before this column (NULL) count as made for the current key.
ALTER TABLE organisation_key_shares ADD COLUMN personal_key_id uuid;
ALTER TABLE organisation_key_shares ADD CONSTRAINT organisation_key_shares_personal_key_fk
  FOREIGN KEY (tenant_id, personal_key_id) REFERENCES personal_keys (tenant_id, id) ON DELETE SET NULL (personal_key_id);
