-- 0001 core: key/value facts about this board, the audit log and per-record activity.
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Privacy-relevant actions (erasure, consent changes, logins, exports).
CREATE TABLE audit_log(
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  actor   TEXT NOT NULL,             -- user name, 'system', 'sync'
  action  TEXT NOT NULL,             -- e.g. 'person.forget', 'consent.grant'
  entity  TEXT,                      -- 'person', 'contact', ...
  entity_id INTEGER,
  detail  TEXT                       -- JSON
);

-- History shown on each record's page.
CREATE TABLE activity(
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  entity    TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  kind      TEXT NOT NULL,           -- 'created', 'updated', 'status', 'merged', 'visit', ...
  actor     TEXT NOT NULL DEFAULT 'system',
  detail    TEXT                     -- JSON
);
CREATE INDEX activity_entity ON activity(entity, entity_id, at);
