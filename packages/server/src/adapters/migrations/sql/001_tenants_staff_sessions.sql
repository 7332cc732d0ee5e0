-- Every tenant-owned table carries tenant_id and every query filters by it. Composite foreign
-- keys (tenant_id, id) make it impossible for a row to point at another tenant's row.

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  hostnames text[] NOT NULL DEFAULT '{}',
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL
);

CREATE TABLE departments (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id)
);
CREATE UNIQUE INDEX departments_name_key ON departments (tenant_id, lower(name));

CREATE TABLE staff (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  display_name text,
  password_hash text,
  is_tenant_admin boolean NOT NULL DEFAULT false,
  status text NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
  created_at timestamptz NOT NULL,
  last_login_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id)
);
CREATE UNIQUE INDEX staff_email_key ON staff (tenant_id, email);

CREATE TABLE department_members (
  tenant_id uuid NOT NULL,
  department_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, department_id, staff_id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX department_members_staff ON department_members (tenant_id, staff_id);

-- Only the SHA-256 of a session id, link token or API token is stored: a database dump
-- opens no session. A session without staff_id belongs to a visitor who chose a language:
-- the session cookie carries that choice, so no further cookie is needed.
CREATE TABLE sessions (
  id_hash bytea PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  staff_id uuid,
  locale text CHECK (locale IN ('de', 'en')),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  user_agent text,
  ip_prefix text,
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_staff ON sessions (tenant_id, staff_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_links (
  token_hash bytea PRIMARY KEY,
  tenant_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('login', 'invitation')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX login_links_staff ON login_links (tenant_id, staff_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  token_hash bytea NOT NULL UNIQUE,
  tenant_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  label text,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  expires_at timestamptz,
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff (tenant_id, id) ON DELETE CASCADE
);

-- Fixed-window counters for passwords and codes. The key is a hash of what is counted
-- (account, IP prefix), so the table holds no e-mail address or IP.
CREATE TABLE rate_limits (
  key_hash bytea PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- Who did what, when. IPs only truncated (/24, /48); no content, no secrets.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'account', 'guest', 'system')),
  actor_id uuid,
  action text NOT NULL,
  subject_kind text,
  subject_id uuid,
  ip_prefix text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_tenant_at ON audit_events (tenant_id, at);

CREATE TABLE accessibility_feedback (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text,
  email text,
  message text NOT NULL,
  page text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- Facts about this installation, e.g. a check value of the master key, so a node started with a
-- different MASTER_KEY refuses to run instead of writing blobs nobody else can open.
CREATE TABLE instance_settings (
  name text PRIMARY KEY,
  value text NOT NULL
);
