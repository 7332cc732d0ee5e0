// Which part of the server owns each table: the only one whose SQL may name it; everyone else
// goes through that module's index.ts. scripts/architecture.ts counts the statements that sit
// elsewhere. An owner is a module name (`modules/<name>/`), or for the few tables below the
// modules the folder (`jobs`) or top-level file (`master-key.ts`) that keeps them.
//
// Initially derived from the migrations (what each one creates and says about it) and from
// which module's code writes the table most; change an owner here when a table moves.
export const tableOwners: Readonly<Record<string, string>> = {
  // Tenants and their departments (001).
  tenants: 'tenants',
  departments: 'tenants',
  // Staff and department membership (001), written by staff administration.
  staff: 'staff',
  department_members: 'staff',
  // Sign-in of staff and the machinery behind it (001, 003).
  sessions: 'auth',
  login_links: 'auth',
  email_codes: 'auth',
  api_tokens: 'auth',
  rate_limits: 'auth',
  staff_identities: 'auth',
  tenant_sso: 'auth',
  oidc_logins: 'auth',
  // Citizens' and organisation members' accounts (002, 003, 008, 014).
  accounts: 'accounts',
  account_recovery_codes: 'accounts',
  account_passkeys: 'accounts',
  account_links: 'accounts',
  account_identities: 'accounts',
  account_tokens: 'accounts',
  login_challenges: 'accounts',
  webauthn_challenges: 'accounts',
  oidc_pending_identities: 'accounts',
  // Organisation accounts (003, 011).
  organisations: 'organisations',
  organisation_members: 'organisations',
  organisation_invitations: 'organisations',
  organisation_grant_log: 'organisations',
  organisation_notices: 'organisations',
  organisation_keys: 'organisations',
  organisation_key_shares: 'organisations',
  // Transfers, their files and the queue of blobs whose deletion is pending (002, 004).
  transfers: 'transfers',
  transfer_recipients: 'transfers',
  transfer_files: 'transfers',
  file_segments: 'transfers',
  transfer_downloads: 'transfers',
  transfer_guests: 'transfers',
  blob_deletions: 'transfers',
  // The file keys of level-3/4 transfers wrapped for each holder (006, 009): stored, sealed,
  // re-wrapped and destroyed with the transfer they belong to, by the transfers module's use cases.
  transfer_envelopes: 'transfers',
  // End-to-end personal keys (006); department keys by the postbox, whose members hold them.
  personal_keys: 'keys',
  department_keys: 'postbox',
  department_key_shares: 'postbox',
  // The department postbox and its intake (004).
  postbox_items: 'postbox',
  upload_links: 'uploadlinks',
  dropoff_sessions: 'dropoff',
  // Retention, statistics, audit trail, feedback (001, 005).
  retention_notices: 'retention',
  stats_daily: 'stats',
  audit_events: 'audit',
  accessibility_feedback: 'pages',
  // Below the modules.
  jobs: 'jobs',
  job_runs: 'jobs',
  instance_settings: 'master-key.ts',
};
