//! The console database's tables beyond the accounts (`crate::console`): the hotline's agent
//! keys (`crate::hotline`) and the data-subject requests (`crate::requests`). A leaf, so that
//! the console opens them all without depending on the modules that use them.

/// Agent console keys (ADR 0018): revoked, never deleted.
pub(crate) const AGENT_KEYS: &str = "
CREATE TABLE IF NOT EXISTS agent_keys (
    kid         TEXT    NOT NULL PRIMARY KEY,
    agent_id    TEXT    NOT NULL,
    username    TEXT    NOT NULL,
    x           TEXT    NOT NULL,
    y           TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    revoked_by  TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS agent_keys_by_user ON agent_keys (username);
CREATE TRIGGER IF NOT EXISTS agent_keys_no_delete BEFORE DELETE ON agent_keys
BEGIN
    SELECT RAISE(ABORT, 'agent keys are revoked, never deleted');
END;
CREATE TRIGGER IF NOT EXISTS agent_keys_revoke_only BEFORE UPDATE ON agent_keys
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.kid IS NOT OLD.kid
  OR NEW.agent_id IS NOT OLD.agent_id OR NEW.username IS NOT OLD.username
  OR NEW.x IS NOT OLD.x OR NEW.y IS NOT OLD.y OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'an agent key can only be revoked, once');
END;
";

/// Data-subject requests and their status changes (ADR 0019): append-only.
pub(crate) const REQUESTS: &str = "
CREATE TABLE IF NOT EXISTS requests (
    request_id    TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    received_at   INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    regime        TEXT    NOT NULL,
    region        TEXT,
    deadline_at   INTEGER NOT NULL,
    receipt_id    TEXT    NOT NULL,
    ledger_index  INTEGER NOT NULL,
    sref          TEXT,
    details       TEXT,
    envelope      TEXT    NOT NULL,
    PRIMARY KEY (request_id, subject)
) STRICT;
CREATE TRIGGER IF NOT EXISTS requests_no_update BEFORE UPDATE ON requests
BEGIN
    SELECT RAISE(ABORT, 'a request is kept as received: UPDATE refused');
END;
CREATE TRIGGER IF NOT EXISTS requests_no_delete BEFORE DELETE ON requests
BEGIN
    SELECT RAISE(ABORT, 'a request is kept as received: DELETE refused');
END;
CREATE TABLE IF NOT EXISTS request_events (
    seq           INTEGER PRIMARY KEY,
    request_id    TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    status        TEXT    NOT NULL
        CHECK (status IN ('received', 'in_progress', 'completed', 'refused')),
    note          TEXT,
    FOREIGN KEY (request_id, subject) REFERENCES requests (request_id, subject)
) STRICT;
CREATE INDEX IF NOT EXISTS request_events_by_request ON request_events (request_id, subject);
CREATE TRIGGER IF NOT EXISTS request_events_no_update BEFORE UPDATE ON request_events
BEGIN
    SELECT RAISE(ABORT, 'the history of a request is append-only: UPDATE refused');
END;
CREATE TRIGGER IF NOT EXISTS request_events_no_delete BEFORE DELETE ON request_events
BEGIN
    SELECT RAISE(ABORT, 'the history of a request is append-only: DELETE refused');
END;
";
