-- Personal API tokens of service accounts (citizens, organisation members), for download tools
-- such as `amtsbote fetch`. A table of their own, not a column on api_tokens: a staff token and an
-- account token are different principals with different rights, and one row must never be able to
-- turn into the other. Only a hash of the secret is kept.
CREATE TABLE account_tokens (
  id uuid PRIMARY KEY,
  token_hash bytea NOT NULL UNIQUE,
  tenant_id uuid NOT NULL,
  account_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  expires_at timestamptz,
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX account_tokens_account ON account_tokens (tenant_id, account_id);
