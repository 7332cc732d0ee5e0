-- Department key pairs made in the browser (issues 4 and 5). A member's share of a department's
-- private key is a type-E envelope (docs/crypto.md) around the 32-byte private scalar, wrapped to
-- that member's personal key. The share names that personal key: a member who replaced a lost
-- key needs a new share (another member's browser makes it), and the old one opens nothing.
ALTER TABLE department_key_shares ADD COLUMN personal_key_id uuid;
ALTER TABLE department_key_shares ADD COLUMN created_by uuid;
ALTER TABLE department_key_shares
  ADD CONSTRAINT department_key_shares_personal_key_fkey FOREIGN KEY (tenant_id, personal_key_id)
  REFERENCES personal_keys (tenant_id, id) ON DELETE CASCADE;
-- Shares stored before this check were never made by a browser: they open nothing.
DELETE FROM department_key_shares WHERE length(wrapped_private_key) <> 87;
ALTER TABLE department_key_shares
  ADD CONSTRAINT department_key_shares_envelope_check CHECK (length(wrapped_private_key) = 87);

-- Removing a member removes their shares of that department's keys, whatever removes the
-- membership (administration, directory sync, a script): a trigger, not application code.
CREATE FUNCTION department_member_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM department_key_shares s USING department_keys k
  WHERE s.tenant_id = OLD.tenant_id AND s.staff_id = OLD.staff_id
    AND k.tenant_id = s.tenant_id AND k.id = s.key_id AND k.department_id = OLD.department_id;
  RETURN OLD;
END
$$;
CREATE TRIGGER department_members_drop_key_shares AFTER DELETE ON department_members
  FOR EACH ROW EXECUTE FUNCTION department_member_removed();
