-- Inbound: what citizens send to a department without an account (drop-off), what a caseworker
-- requests through an upload link, the malware scan of every incoming file, and the department
-- postbox where both arrive. Everything that arrives is a transfer (002), addressed to a
-- department instead of e-mail recipients, so retention, scanning and audit stay in one place.

-- Departments that accept drop-off, what a sender should include, which file types they take
-- (NULL: the tenant's list), and the department's public key for end-to-end encrypted uploads.
ALTER TABLE departments ADD COLUMN dropoff_enabled boolean NOT NULL DEFAULT false;
ALTER TABLE departments ADD COLUMN dropoff_hint text CHECK (length(dropoff_hint) <= 2000);
ALTER TABLE departments ADD COLUMN allowed_types text[];

-- A department's key pair (P-256, docs/crypto.md). The server keeps the public key and, per
-- member, the private key wrapped for that member (by the member's browser, to the member's
-- personal key): the server can never open it. One key is current; older ones stay so that what
-- was encrypted to them can still be opened.
CREATE TABLE department_keys (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  department_id uuid NOT NULL,
  public_key text NOT NULL CHECK (public_key ~ '^amtb-pub1-[A-Za-z0-9_-]{44}$'),
  created_at timestamptz NOT NULL,
  created_by uuid,
  retired_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX department_keys_current ON department_keys (tenant_id, department_id) WHERE retired_at IS NULL;

CREATE TABLE department_key_shares (
  tenant_id uuid NOT NULL,
  key_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  wrapped_private_key bytea NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, key_id, staff_id),
  FOREIGN KEY (tenant_id, key_id) REFERENCES department_keys (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);

-- A caseworker's request for documents. The link's secret is stored twice: its SHA-256 to find
-- it, and sealed (under a data key wrapped by the master key) so the caseworker can copy it again.
CREATE TABLE upload_links (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  department_id uuid NOT NULL,
  created_by uuid,
  token_hash bytea NOT NULL UNIQUE,
  token_key bytea NOT NULL,
  token_sealed bytea NOT NULL,
  -- A named person (who is mailed the link) or NULL for a plain link.
  email text CHECK (email = lower(email)),
  locale text NOT NULL CHECK (locale IN ('de', 'en')),
  -- Title, note and reference are sealed under token_key: they are the request's content.
  title bytea NOT NULL,
  note bytea,
  reference bytea,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  allowed_types text[] NOT NULL,
  max_file_size bigint NOT NULL CHECK (max_file_size > 0),
  max_uses integer CHECK (max_uses > 0),
  uses integer NOT NULL DEFAULT 0,
  expiry_days integer NOT NULL CHECK (expiry_days BETWEEN 1 AND 365),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  closed_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, created_by) REFERENCES staff (tenant_id, id) ON DELETE SET NULL (created_by)
);
CREATE INDEX upload_links_department ON upload_links (tenant_id, department_id, created_at DESC);

-- The transfer model, extended for what comes in.
ALTER TABLE transfers ADD COLUMN to_department_id uuid;
ALTER TABLE transfers ADD CONSTRAINT transfers_to_department_fk
  FOREIGN KEY (tenant_id, to_department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (to_department_id);
ALTER TABLE transfers ADD COLUMN upload_link_id uuid;
ALTER TABLE transfers ADD CONSTRAINT transfers_upload_link_fk
  FOREIGN KEY (tenant_id, upload_link_id) REFERENCES upload_links (tenant_id, id) ON DELETE SET NULL (upload_link_id);
ALTER TABLE transfers ADD COLUMN inbound text CHECK (inbound IN ('dropoff', 'upload'));
-- A file number or reference the sender gave (sealed under the content key like the subject).
ALTER TABLE transfers ADD COLUMN reference bytea;
-- End-to-end: the file key wrapped in the sender's browser, to a password (P envelope) or to the
-- department's key (E envelope). The files (and with e2e_message the text) are then ciphertext
-- the server cannot read; it still encrypts them at rest like everything else.
ALTER TABLE transfers ADD COLUMN e2e text CHECK (e2e IN ('password', 'department'));
ALTER TABLE transfers ADD COLUMN e2e_envelope bytea;
ALTER TABLE transfers ADD COLUMN e2e_message boolean NOT NULL DEFAULT false;
ALTER TABLE transfers ADD COLUMN department_key_id uuid;
CREATE INDEX transfers_to_department ON transfers (tenant_id, to_department_id, created_at DESC) WHERE to_department_id IS NOT NULL;
CREATE INDEX transfers_upload_link ON transfers (tenant_id, upload_link_id) WHERE upload_link_id IS NOT NULL;

-- The sender of a drop-off or upload: no account, just contact data that lives exactly as long
-- as the transfer's content (deleted when it ends). Name and phone are sealed under the
-- transfer's content key; the address stays readable to send the code, notices and answers.
CREATE TABLE transfer_guests (
  tenant_id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  name bytea NOT NULL,
  phone bytea,
  locale text NOT NULL CHECK (locale IN ('de', 'en')),
  verified boolean NOT NULL,
  -- Direct addressing: the caseworker address the sender typed (whether or not it exists).
  addressed_to text,
  PRIMARY KEY (tenant_id, transfer_id),
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX transfer_guests_email ON transfer_guests (tenant_id, email);

-- Per file: the malware scan. not_required (staff's own outbound files), pending (waiting for
-- the scanner, never served), clean, infected (quarantined: never served, content destroyed),
-- failed (the scanner could not read it, e.g. larger than its limit: never served),
-- unscanned (no scanner configured), e2e (end-to-end encrypted: the server cannot scan it).
ALTER TABLE transfer_files ADD COLUMN scan_status text NOT NULL DEFAULT 'not_required'
  CHECK (scan_status IN ('not_required', 'pending', 'clean', 'infected', 'failed', 'unscanned', 'e2e'));
ALTER TABLE transfer_files ADD COLUMN scan_signature text;
ALTER TABLE transfer_files ADD COLUMN scanned_at timestamptz;
ALTER TABLE transfer_files ADD COLUMN scan_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE transfer_files ADD COLUMN scan_next_at timestamptz;
ALTER TABLE transfer_files ADD COLUMN scan_lease_until timestamptz;
-- The type found in the file's first bytes (e.g. pdf), checked against what was allowed.
ALTER TABLE transfer_files ADD COLUMN detected_type text;
CREATE INDEX transfer_files_scan_pending ON transfer_files (scan_next_at) WHERE scan_status = 'pending';

-- The department postbox's bookkeeping for one incoming transfer.
CREATE TABLE postbox_items (
  tenant_id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  state text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'opened', 'answered', 'done')),
  assigned_staff_id uuid,
  first_opened_at timestamptz,
  first_opened_by uuid,
  answered_at timestamptz,
  done_at timestamptz,
  PRIMARY KEY (tenant_id, transfer_id),
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, assigned_staff_id) REFERENCES staff (tenant_id, id) ON DELETE SET NULL (assigned_staff_id)
);

-- A drop-off in progress: contact data entered, waiting for the e-mail code, then for the
-- message. Sealed contact data; gone once submitted (it then lives in transfer_guests) or after
-- a few hours. The browser holds a secret in a cookie; only its hash is here.
CREATE TABLE dropoff_sessions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  department_id uuid,
  -- Direct addressing: the caseworker, when the address is one of the tenant's active staff.
  to_staff_id uuid,
  addressed_to text,
  email text NOT NULL CHECK (email = lower(email)),
  contact_key bytea NOT NULL,
  contact bytea NOT NULL,
  locale text NOT NULL CHECK (locale IN ('de', 'en')),
  browser_hash bytea NOT NULL,
  -- Set when the e-mail code was entered.
  verified_at timestamptz,
  -- An upload link that asked for the code (level 2 and up) instead of a drop-off.
  upload_link_id uuid,
  draft_id uuid,
  transfer_id uuid,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, to_staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, upload_link_id) REFERENCES upload_links (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX dropoff_sessions_expiry ON dropoff_sessions (expires_at);
