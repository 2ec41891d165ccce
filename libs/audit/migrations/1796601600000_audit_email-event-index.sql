-- Up Migration
-- @tses/audit 0.2.0: an index for the email + event filter. With (email, created_at, id) alone, the
-- event of every row of the address was checked in the table, so counting or skipping the matches
-- of a busy address read every one of its rows. Here both equalities are index conditions: a page
-- seeks straight to the matches, and counting or skipping them reads only index entries.
--
-- On a large, busy table, build it without blocking writes BEFORE upgrading (the migration then
-- finds it and does nothing; check that pg_index.indisvalid is true, or drop and retry):
--   CREATE INDEX CONCURRENTLY audit_log_email_event_created_at_idx
--     ON audit_log (email, event, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_email_event_created_at_idx
  ON audit_log (email, event, created_at DESC, id DESC);

-- Down Migration

DROP INDEX audit_log_email_event_created_at_idx;
