// The statements that may read or write a tenant-owned table without constraining its tenant_id
// (see tenant-scope.test.ts for the rule). Each entry names the table and a distinctive
// substring of the statement with whitespace collapsed, so it survives the statement moving to
// another file; an entry that no longer covers anything fails the census, so it cannot rot.
// The table named here counts as constrained for the rest of the statement: what is joined to
// it on tenant_id needs no entry of its own.

export const REASONS = {
  'token-hash lookup':
    'by the SHA-256 of a 256-bit secret (session id, sign-in challenge, token), which identifies one row of one tenant',
  'global primary key':
    'by an `id uuid PRIMARY KEY` unique across tenants, of the row this request just found by its token hash',
  'expiry sweep':
    'deletes the rows of every tenant whose expiry has passed: dead for everyone, whoever runs it',
  'set-based sweep': 'a background job over all tenants at once; each row carries its own tenant_id onwards',
  'test-only scan':
    'reads whole tables to prove that deleted data is gone; called only by the retention tests',
} as const;

export type Reason = keyof typeof REASONS;

export interface TenantScopeException {
  table: string;
  match: string;
  reason: Reason;
}

export const tenantScopeAllowlist: readonly TenantScopeException[] = [
  // Sessions, sign-in challenges and tokens are found by the hash of the secret the browser or
  // client presents; the tenant is read from the row.
  { table: 'sessions', match: 'FROM sessions WHERE id_hash = $1', reason: 'token-hash lookup' },
  {
    table: 'sessions',
    match: 'UPDATE sessions SET reauth_at = $2 WHERE id_hash = $1',
    reason: 'token-hash lookup',
  },
  {
    table: 'sessions',
    match: 'UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1',
    reason: 'token-hash lookup',
  },
  {
    table: 'sessions',
    match: 'UPDATE sessions SET locale = $2 WHERE id_hash = $1',
    reason: 'token-hash lookup',
  },
  {
    table: 'login_challenges',
    match: 'DELETE FROM login_challenges WHERE token_hash = $1',
    reason: 'token-hash lookup',
  },
  { table: 'account_tokens', match: 'FROM account_tokens t JOIN accounts a', reason: 'token-hash lookup' },
  { table: 'api_tokens', match: 'FROM api_tokens t JOIN staff s', reason: 'token-hash lookup' },
  {
    table: 'account_tokens',
    match: 'UPDATE account_tokens SET last_used_at = $2 WHERE id = $1',
    reason: 'global primary key',
  },
  {
    table: 'api_tokens',
    match: 'UPDATE api_tokens SET last_used_at = $2 WHERE id = $1',
    reason: 'global primary key',
  },

  // Expired sign-in state, removed by the housekeeping job and, opportunistically, before a new
  // row is written. The second arm of the first one is this browser session's own row (by hash).
  {
    table: 'oidc_pending_identities',
    match: 'DELETE FROM oidc_pending_identities WHERE expires_at <= $1 OR session_hash = $2',
    reason: 'expiry sweep',
  },
  ...(
    [
      'sessions',
      'dropoff_sessions',
      'email_codes',
      'login_links',
      'account_links',
      'login_challenges',
      'webauthn_challenges',
      'oidc_logins',
      'oidc_pending_identities',
      'api_tokens',
      'account_tokens',
    ] as const
  ).map((table) => ({
    table,
    match: `DELETE FROM ${table} WHERE expires_at <= $1`,
    reason: 'expiry sweep' as const,
  })),
  // The housekeeping job's own sweep of these two counts what it deleted; the entries above cover
  // the opportunistic deletion before a new row is written (the longest fitting match is chosen).
  ...(['webauthn_challenges', 'oidc_logins'] as const).map((table) => ({
    table,
    match: `DELETE FROM ${table} WHERE expires_at <= $1 RETURNING 1`,
    reason: 'expiry sweep' as const,
  })),

  // Background jobs that work through every tenant's rows in batches.
  {
    table: 'transfer_files',
    match: 'UPDATE transfer_files f SET scan_lease_until = $2',
    reason: 'set-based sweep',
  },
  {
    table: 'transfers',
    match:
      "SELECT tenant_id, id FROM transfers WHERE ended_at IS NULL AND status = 'sent' AND expires_at <= $1",
    reason: 'set-based sweep',
  },
  {
    table: 'transfers',
    match: "WITH picked AS ( SELECT tenant_id, id FROM transfers WHERE status = 'draft'",
    reason: 'set-based sweep',
  },
  // Which of a batch of blob keys (they begin with the tenant's id) a row still points to.
  {
    table: 'file_segments',
    match: 'SELECT blob_key FROM file_segments WHERE blob_key = ANY($1::text[])',
    reason: 'set-based sweep',
  },
  { table: 'stats_daily', match: 'DELETE FROM stats_daily WHERE day < $1::date', reason: 'set-based sweep' },

  { table: '${table}', match: 'SELECT t::text AS row FROM ${table} t', reason: 'test-only scan' },
];
