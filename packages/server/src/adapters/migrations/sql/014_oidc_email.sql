-- First sign-in through OpenID Connect without a verified address (issue 6): the identity the
-- provider vouched for (issuer, subject, acr, name) waits here, bound to the browser session,
-- while the person proves an e-mail address with a mailed code. Nothing in it comes from the
-- browser except the address, and that only counts once the code is right.
CREATE TABLE oidc_pending_identities (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  session_hash bytea NOT NULL,
  issuer text NOT NULL,
  subject text NOT NULL,
  acr text,
  name text,
  next text,
  email text,
  code_id uuid,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX oidc_pending_identities_session ON oidc_pending_identities (session_hash);
CREATE INDEX oidc_pending_identities_expiry ON oidc_pending_identities (expires_at);
