-- Service accounts and organisation accounts (issue 6): sign-in factors for citizens, OpenID
-- Connect for citizens and for staff (tenant single sign-on), organisations with members,
-- invitations, a grant log, notices and a shared postbox. Secrets are stored only hashed or
-- wrapped by the master key; every table carries tenant_id and composite foreign keys.

-- ---- Service accounts: first and second factor --------------------------------------------------

-- password_hash: Argon2id (NULL: no password, e.g. passkey only or created by a level-2 code).
-- totp_key: the TOTP secret wrapped by the master key; totp_pending_key while being set up.
-- totp_last_step: the time step of the last accepted code, so a code works only once.
-- webauthn_user_id: the random user handle passkeys carry (never the account id or address).
ALTER TABLE accounts ADD COLUMN password_hash text;
ALTER TABLE accounts ADD COLUMN password_changed_at timestamptz;
ALTER TABLE accounts ADD COLUMN totp_key bytea;
ALTER TABLE accounts ADD COLUMN totp_pending_key bytea;
ALTER TABLE accounts ADD COLUMN totp_enabled_at timestamptz;
ALTER TABLE accounts ADD COLUMN totp_last_step bigint;
ALTER TABLE accounts ADD COLUMN webauthn_user_id bytea UNIQUE;

-- Recovery codes for a lost authenticator: 128 random bits each, only their SHA-256 kept.
CREATE TABLE account_recovery_codes (
  tenant_id uuid NOT NULL,
  account_id uuid NOT NULL,
  code_hash bytea NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (tenant_id, account_id, code_hash),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE account_passkeys (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  -- base64url, as WebAuthn reports it.
  credential_id text NOT NULL,
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  device_type text,
  backed_up boolean NOT NULL DEFAULT false,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, credential_id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX account_passkeys_account ON account_passkeys (tenant_id, account_id);

-- A WebAuthn challenge waits here for its answer (5 minutes, used once), bound to the browser's
-- session so an answer cannot be replayed from elsewhere.
CREATE TABLE webauthn_challenges (
  challenge text PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('register', 'login', 'reauth')),
  account_id uuid,
  session_hash bytea NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);

-- A password was right and a second factor is due: this token (hash only) carries the sign-in
-- to the TOTP step, for 5 minutes and 5 tries.
CREATE TABLE login_challenges (
  token_hash bytea PRIMARY KEY,
  tenant_id uuid NOT NULL,
  account_id uuid NOT NULL,
  next text,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);

-- One-time links for service accounts (password reset).
CREATE TABLE account_links (
  token_hash bytea PRIMARY KEY,
  tenant_id uuid NOT NULL,
  account_id uuid NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('password-reset')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX account_links_account ON account_links (tenant_id, account_id);

-- How a session was opened, and when its holder last proved it again (deleting an account or
-- an organisation asks for that).
ALTER TABLE sessions ADD COLUMN auth_method text;
ALTER TABLE sessions ADD COLUMN reauth_at timestamptz;

-- ---- OpenID Connect ----------------------------------------------------------------------------

-- A citizen's account linked to an identity at an OpenID provider (BundID through a Keycloak
-- broker, a state service account): by the issuer's subject, with the trust level (acr).
CREATE TABLE account_identities (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  issuer text NOT NULL,
  subject text NOT NULL,
  acr text,
  linked_at timestamptz NOT NULL,
  last_login_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, issuer, subject),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX account_identities_account ON account_identities (tenant_id, account_id);

-- A tenant's own identity provider for its staff (single sign-on). The client secret is sealed
-- under a data key wrapped by the master key.
CREATE TABLE tenant_sso (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  issuer text NOT NULL,
  client_id text NOT NULL,
  client_secret bytea,
  secret_key bytea,
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  match_by text NOT NULL CHECK (match_by IN ('email', 'subject')),
  local_login boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL
);

CREATE TABLE staff_identities (
  tenant_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  issuer text NOT NULL,
  subject text NOT NULL,
  linked_at timestamptz NOT NULL,
  last_login_at timestamptz,
  PRIMARY KEY (tenant_id, issuer, subject),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX staff_identities_staff ON staff_identities (tenant_id, staff_id);

-- An authorization request on its way: the state's hash, the PKCE verifier and nonce for the
-- callback (10 minutes, used once), bound to the browser's session.
CREATE TABLE oidc_logins (
  state_hash bytea PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('citizen', 'link', 'reauth', 'staff')),
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  session_hash bytea NOT NULL,
  account_id uuid,
  next text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);

-- ---- Organisations ------------------------------------------------------------------------------

-- An organisation account: the profile (name, legal form, seat, address) that may prefill
-- online forms, the contact address for notifications, and the profile data release setting.
CREATE TABLE organisations (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  legal_form text CHECK (length(legal_form) <= 100),
  seat text CHECK (length(seat) <= 200),
  address text CHECK (length(address) <= 500),
  contact_email text NOT NULL CHECK (contact_email = lower(contact_email)),
  -- Profile data release: true = general release (switched by an administrator); false = each
  -- use needs an explicit confirmation.
  general_release boolean NOT NULL DEFAULT false,
  release_changed_at timestamptz,
  consent_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  last_active_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id)
);
CREATE INDEX organisations_contact ON organisations (tenant_id, contact_email);

CREATE TABLE organisation_members (
  tenant_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  account_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('member', 'admin')),
  since timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, organisation_id, account_id),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX organisation_members_account ON organisation_members (tenant_id, account_id);

-- Invitation → accepted by the invitee's account → confirmed by an administrator (only then a
-- member). The link's secret is stored as its SHA-256 only.
CREATE TABLE organisation_invitations (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  token_hash bytea NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'confirmed', 'declined', 'withdrawn')),
  invited_by uuid,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_by uuid,
  accepted_at timestamptz,
  decided_by uuid,
  decided_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, accepted_by) REFERENCES accounts (tenant_id, id) ON DELETE SET NULL (accepted_by)
);
CREATE INDEX organisation_invitations_org ON organisation_invitations (tenant_id, organisation_id, created_at DESC);

-- Which account had access when, granted or revoked by whom. Addresses are copied in, so the
-- log still says who it was after an account is deleted. Once a year the administrators get the
-- past year's entries as a notice in the postbox, and those entries are deleted.
CREATE TABLE organisation_grant_log (
  tenant_id uuid NOT NULL,
  id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL,
  account_id uuid,
  account_email text NOT NULL,
  action text NOT NULL CHECK (action IN ('granted', 'revoked', 'left', 'admin-granted', 'admin-revoked')),
  at timestamptz NOT NULL,
  by_account_id uuid,
  by_email text,
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX organisation_grant_log_org ON organisation_grant_log (tenant_id, organisation_id, at);

-- Notices in the organisation's postbox (a member left, the yearly overview). The text is
-- content: sealed under its own data key, wrapped by the master key.
CREATE TABLE organisation_notices (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('member-left', 'membership-report')),
  audience text NOT NULL CHECK (audience IN ('members', 'admins')),
  data_key bytea NOT NULL,
  body bytea NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX organisation_notices_org ON organisation_notices (tenant_id, organisation_id, created_at DESC);

-- The organisation's key pair (P-256, docs/crypto.md): the public key, and the private key
-- wrapped for each confirmed member by a member's browser (a type-E envelope to the member's
-- personal key). The server can open none of it. A wrap belongs to a membership: revoking the
-- member deletes it (the foreign key cascades).
CREATE TABLE organisation_keys (
  tenant_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  public_key text NOT NULL CHECK (public_key ~ '^amtb-pub1-[A-Za-z0-9_-]{44}$'),
  created_at timestamptz NOT NULL,
  created_by uuid,
  PRIMARY KEY (tenant_id, organisation_id),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE organisation_key_shares (
  tenant_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  account_id uuid NOT NULL,
  wrapped_private_key bytea NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid,
  PRIMARY KEY (tenant_id, organisation_id, account_id),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisation_keys (tenant_id, organisation_id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, organisation_id, account_id)
    REFERENCES organisation_members (tenant_id, organisation_id, account_id) ON DELETE CASCADE
);

-- ---- The organisation's postbox -----------------------------------------------------------------

-- A recipient may be an organisation: its postbox instead of a link in a mail. Every confirmed
-- member sees it; the notification goes to the contact address and carries no link secret.
ALTER TABLE transfer_recipients ADD COLUMN organisation_id uuid;
ALTER TABLE transfer_recipients ADD CONSTRAINT transfer_recipients_organisation_fk
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id) ON DELETE SET NULL (organisation_id);
CREATE INDEX transfer_recipients_organisation ON transfer_recipients (tenant_id, organisation_id) WHERE organisation_id IS NOT NULL;

-- Which member wrote a reply sent in the organisation's name.
ALTER TABLE transfers ADD COLUMN sender_account_id uuid;
ALTER TABLE transfers ADD CONSTRAINT transfers_sender_account_fk
  FOREIGN KEY (tenant_id, sender_account_id) REFERENCES accounts (tenant_id, id) ON DELETE SET NULL (sender_account_id);
