-- Retention, deletion and privacy (issue 7): the job runner's queue, the warnings and
-- announcements sent before data is deleted, and the requests people made about their data.

-- ---- Job runner (packages/server/src/jobs/runner.ts) ----------------------------------------

-- One row per job. (name, key) is unique, so a schedule slot ("retention.audit" at 09:15) or a
-- caller's key becomes exactly one job however many nodes enqueue it. A node claims due jobs
-- with FOR UPDATE SKIP LOCKED and holds them for a lease; a node that dies frees them when the
-- lease runs out (the attempt counts). Failures are retried with growing pauses up to
-- max_attempts. Payloads and errors carry ids only, never personal data.
CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  payload jsonb NOT NULL DEFAULT '{}',
  state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  result jsonb,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  UNIQUE (name, key)
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- Every attempt and how it ended: which node, when, succeeded / failed / retry, the result
-- (counts) or the error. Kept as long as the job row (the cascade removes both together).
CREATE TABLE job_runs (
  id bigserial PRIMARY KEY,
  job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  node text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'retry')),
  error text,
  result jsonb
);
CREATE INDEX job_runs_job ON job_runs (job_id);

-- ---- Retention notices ----------------------------------------------------------------------

-- A warning (service account) or announcement (organisation) that data will be deleted because
-- it was not used. `anchor` is the last activity the notice was about: activity after it (a
-- sign-in, the stop link) voids the notice, so deletion needs a fresh warning first. Deletion is
-- due at due_at, never earlier than the announced time. The stop link's secret is stored as its
-- SHA-256 only.
CREATE TABLE retention_notices (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  rule text NOT NULL,
  subject_id uuid NOT NULL,
  anchor timestamptz NOT NULL,
  notified_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  stop_token_hash bytea UNIQUE,
  PRIMARY KEY (tenant_id, rule, subject_id)
);

-- ---- Aggregate usage statistics (modules/stats) -------------------------------------------------

-- Counts per tenant and calendar day (Europe/Berlin): transfers sent, drop-offs, uploads through
-- links, downloads, service accounts active. Numbers only: no ids, no addresses, no cookies. The
-- counts are taken from the rows while they exist and kept here, so deleting the rows (retention)
-- does not rewrite history.
CREATE TABLE stats_daily (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  day date NOT NULL,
  metric text NOT NULL CHECK (metric IN ('transfers_sent', 'dropoffs', 'uploads', 'downloads', 'active_accounts')),
  value integer NOT NULL CHECK (value >= 0),
  PRIMARY KEY (tenant_id, day, metric)
);

-- The calendar day on which a service account was last counted as active, so each account counts
-- once a day without a list of who was active when.
ALTER TABLE accounts ADD COLUMN active_counted_day date;
