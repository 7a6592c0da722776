-- 0002 people: face identities, their templates and visits (owned by vision/).
CREATE TABLE people(
  id          INTEGER PRIMARY KEY,
  label       TEXT NOT NULL,                 -- name, or 'Visitor #17'
  known       INTEGER NOT NULL DEFAULT 0,    -- 1: enrolled or linked to a contact
  contact_id  INTEGER,                       -- crm contact (set by crm/, no FK: tables live in 0003)
  consent     INTEGER NOT NULL DEFAULT 0,    -- 1: biometric consent recorded
  consent_at  TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  last_seen   TEXT,
  visit_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE face_templates(
  id         INTEGER PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  descriptor BLOB NOT NULL,                  -- 128 little-endian float32
  quality    REAL NOT NULL DEFAULT 0,
  source     TEXT NOT NULL DEFAULT 'camera', -- 'camera', 'photo', 'sync'
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX face_templates_person ON face_templates(person_id);

CREATE TABLE visits(
  id         INTEGER PRIMARY KEY,
  person_id  INTEGER REFERENCES people(id) ON DELETE SET NULL,
  started_at TEXT NOT NULL,
  ended_at   TEXT,
  is_new     INTEGER NOT NULL DEFAULT 0,
  distance   REAL,
  snapshot   TEXT,                           -- file name under <storage.dir>/snapshots
  camera     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX visits_person ON visits(person_id, started_at);
CREATE INDEX visits_started ON visits(started_at);
