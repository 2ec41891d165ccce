-- Up Migration
-- @tses/audit 0.1.0: the audit log. Tables are created unqualified: node-pg-migrate sets
-- search_path to the schema the caller chose, so the same file serves any schema.

CREATE TABLE audit_log (
  -- The event's own id (also its BullMQ job id): a retried job conflicts instead of duplicating.
  id uuid PRIMARY KEY,
  -- Open set (OTP_REQUESTED, OTP_VERIFIED, OTP_FAILED, OTP_LOCKED, …): a format check, not an enum,
  -- so a new event needs no migration.
  event text NOT NULL CONSTRAINT audit_log_event_format CHECK (event ~ '^[A-Z][A-Z0-9_]{0,63}$'),
  -- Normalised by the writer exactly like @tses/otp (trim, NFKC, lower case).
  email text NOT NULL CONSTRAINT audit_log_email_length CHECK (length(email) BETWEEN 3 AND 254),
  ip_address inet,
  user_agent text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb
    CONSTRAINT audit_log_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
  -- When the event happened (passed in by the writer), not when the row was inserted.
  created_at timestamptz NOT NULL
);

-- Every read orders by (created_at DESC, id DESC). With an equality filter in front, each index
-- returns rows already in that order, so LIMIT stops early and keyset cursors seek directly:
--   no filter / from / to            -> audit_log_created_at_idx
--   email (+ event, from, to)        -> audit_log_email_created_at_idx (event checked on the few rows of one address)
--   event (+ from, to)               -> audit_log_event_created_at_idx
CREATE INDEX audit_log_created_at_idx ON audit_log (created_at DESC, id DESC);
CREATE INDEX audit_log_email_created_at_idx ON audit_log (email, created_at DESC, id DESC);
CREATE INDEX audit_log_event_created_at_idx ON audit_log (event, created_at DESC, id DESC);

-- Down Migration

DROP TABLE audit_log;
