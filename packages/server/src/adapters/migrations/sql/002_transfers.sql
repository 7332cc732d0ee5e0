-- Transfers: a message with files from a sender to recipients, at a security level, with an
-- expiry. Content (subject, text, file names, file bytes) is never stored in plaintext: the
-- text columns hold AES-256-GCM ciphertext under the transfer's content key, the files live in
-- the blob store under per-file keys, and both keys are stored only wrapped by the master key.
-- Destroying the wrapped keys (set NULL) makes whatever copy survives unreadable.

-- A recipient's service account, created with nothing but a verified e-mail address (level 2).
CREATE TABLE accounts (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  display_name text,
  locale text CHECK (locale IN ('de', 'en')),
  created_at timestamptz NOT NULL,
  last_active_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id)
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (tenant_id, email);

ALTER TABLE sessions ADD COLUMN account_id uuid;
ALTER TABLE sessions ADD CONSTRAINT sessions_account_fk
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE;
ALTER TABLE sessions ADD CONSTRAINT sessions_one_principal CHECK (staff_id IS NULL OR account_id IS NULL);
CREATE INDEX sessions_account ON sessions (tenant_id, account_id);

-- One-time codes mailed to prove control of an address. Only an HMAC of the code is kept
-- (keyed from the master key: a six-digit code is too small to survive a plain hash).
CREATE TABLE email_codes (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  purpose text NOT NULL,
  email text NOT NULL,
  subject_id uuid,
  code_hash bytea NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX email_codes_expiry ON email_codes (expires_at);

CREATE TABLE transfers (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  thread_id uuid NOT NULL,
  in_reply_to uuid,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  status text NOT NULL CHECK (status IN ('draft', 'sent', 'revoked', 'expired')),
  -- Exactly one sender: a staff member, or a recipient replying (by account or by link).
  sender_staff_id uuid,
  sender_recipient_id uuid,
  -- A reply lands in this staff member's postbox.
  to_staff_id uuid,
  content_key bytea,
  subject bytea,
  message bytea,
  notify_on_download boolean NOT NULL DEFAULT true,
  allow_reply boolean NOT NULL DEFAULT false,
  file_count integer NOT NULL DEFAULT 0,
  total_size bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  expires_at timestamptz NOT NULL,
  -- When the content was destroyed (revoked or expired); the row then holds metadata only.
  ended_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id),
  FOREIGN KEY (tenant_id, sender_staff_id) REFERENCES staff (tenant_id, id) ON DELETE SET NULL (sender_staff_id),
  FOREIGN KEY (tenant_id, to_staff_id) REFERENCES staff (tenant_id, id) ON DELETE SET NULL (to_staff_id)
);
CREATE INDEX transfers_sender ON transfers (tenant_id, sender_staff_id, created_at DESC);
CREATE INDEX transfers_to_staff ON transfers (tenant_id, to_staff_id, created_at DESC);
CREATE INDEX transfers_thread ON transfers (tenant_id, thread_id, created_at);
CREATE INDEX transfers_expiry ON transfers (expires_at) WHERE ended_at IS NULL;
CREATE INDEX transfers_drafts ON transfers (created_at) WHERE status = 'draft';

CREATE TABLE transfer_recipients (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  -- SHA-256 of the link secret; NULL for a reply that goes to a staff postbox.
  token_hash bytea UNIQUE,
  -- Level 2: the account that proved the address, bound on first opening.
  account_id uuid,
  locale text NOT NULL CHECK (locale IN ('de', 'en')),
  notified_at timestamptz,
  first_opened_at timestamptz,
  first_downloaded_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id),
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE SET NULL (account_id)
);
CREATE INDEX transfer_recipients_transfer ON transfer_recipients (tenant_id, transfer_id);
CREATE INDEX transfer_recipients_account ON transfer_recipients (tenant_id, account_id);

ALTER TABLE transfers ADD CONSTRAINT transfers_sender_recipient_fk
  FOREIGN KEY (tenant_id, sender_recipient_id) REFERENCES transfer_recipients (tenant_id, id) ON DELETE SET NULL (sender_recipient_id);

CREATE TABLE transfer_files (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  position integer NOT NULL,
  -- Name and media type are content too: ciphertext under the transfer's content key.
  name bytea NOT NULL,
  media_type bytea NOT NULL,
  size bigint NOT NULL CHECK (size >= 0),
  received bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= size),
  file_key bytea,
  completed_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id),
  UNIQUE (tenant_id, transfer_id, position),
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id) ON DELETE CASCADE
);

-- A file is stored as consecutive encrypted segments, one blob each, committed as they arrive,
-- so an upload cut at any point resumes from the last committed segment on any app node.
CREATE TABLE file_segments (
  tenant_id uuid NOT NULL,
  file_id uuid NOT NULL,
  start bigint NOT NULL CHECK (start >= 0),
  length bigint NOT NULL CHECK (length >= 0),
  blob_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, file_id, start),
  FOREIGN KEY (tenant_id, file_id) REFERENCES transfer_files (tenant_id, id) ON DELETE CASCADE
);

-- What the sender's outbox shows: who downloaded which file (NULL: all files as ZIP), when.
CREATE TABLE transfer_downloads (
  tenant_id uuid NOT NULL,
  id bigserial PRIMARY KEY,
  transfer_id uuid NOT NULL,
  recipient_id uuid,
  file_id uuid,
  at timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX transfer_downloads_transfer ON transfer_downloads (tenant_id, transfer_id, at);

-- Blobs whose content was destroyed but whose deletion from the store has not been confirmed
-- yet: a retried sweep finishes the job, so a crash never leaves content behind unnoticed.
CREATE TABLE blob_deletions (
  blob_key text PRIMARY KEY,
  queued_at timestamptz NOT NULL
);
