-- End-to-end encryption on the transfer flow (issue 4): personal keys of staff and service
-- accounts, and the per-holder envelopes of a level-3/4 transfer's file key. The server keeps
-- only public keys and wrapped objects it cannot open (docs/crypto.md): the private key wrapped
-- under the key passphrase (type K) and under the recovery code (type R), and the file key
-- wrapped to each holder's public key (type E).

-- A personal key: exactly one owner (a staff member or a service account), one current key per
-- owner. A replaced key is retired, not deleted, while envelopes made for it still exist.
CREATE TABLE personal_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  staff_id uuid,
  account_id uuid,
  public_key text NOT NULL CHECK (public_key ~ '^amtb-pub1-[A-Za-z0-9_-]{44}$'),
  wrapped_passphrase bytea NOT NULL CHECK (length(wrapped_passphrase) = 112),
  wrapped_recovery bytea NOT NULL CHECK (length(wrapped_recovery) = 103),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  retired_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id),
  CHECK ((staff_id IS NULL) <> (account_id IS NULL)),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX personal_keys_staff_current ON personal_keys (tenant_id, staff_id) WHERE retired_at IS NULL AND staff_id IS NOT NULL;
CREATE UNIQUE INDEX personal_keys_account_current ON personal_keys (tenant_id, account_id) WHERE retired_at IS NULL AND account_id IS NOT NULL;

-- Outbound transfers at levels 3 and 4 are end-to-end to their holders' keys.
ALTER TABLE transfers DROP CONSTRAINT IF EXISTS transfers_e2e_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_e2e_check CHECK (e2e IN ('password', 'department', 'recipients'));

-- The file key of a level-3/4 transfer, wrapped in a browser (or the CLI) to one holder: the
-- sender (always), a recipient (once they have a key; until then the recipient waits for the
-- sender's side), or a sending department (only where the tenant shares department outboxes).
CREATE TABLE transfer_envelopes (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  holder text NOT NULL CHECK (holder IN ('sender', 'recipient', 'department')),
  recipient_id uuid,
  department_key_id uuid,
  personal_key_id uuid,
  envelope bytea NOT NULL CHECK (length(envelope) = 87),
  created_at timestamptz NOT NULL,
  -- Who made it: the sender when sending, or the staff member whose browser re-wrapped it later.
  created_by uuid,
  PRIMARY KEY (tenant_id, id),
  CHECK ((holder = 'recipient') = (recipient_id IS NOT NULL)),
  CHECK ((holder = 'department') = (department_key_id IS NOT NULL)),
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, recipient_id) REFERENCES transfer_recipients (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, department_key_id) REFERENCES department_keys (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, personal_key_id) REFERENCES personal_keys (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX transfer_envelopes_sender ON transfer_envelopes (tenant_id, transfer_id) WHERE holder = 'sender';
CREATE UNIQUE INDEX transfer_envelopes_recipient ON transfer_envelopes (tenant_id, recipient_id) WHERE recipient_id IS NOT NULL;
CREATE UNIQUE INDEX transfer_envelopes_department ON transfer_envelopes (tenant_id, transfer_id, department_key_id) WHERE department_key_id IS NOT NULL;
