-- 0004 sync: the transactional outbox and what the central CRM calls our records (owned by crm/sync*).
CREATE TABLE outbox(
  id          INTEGER PRIMARY KEY,            -- delivery order
  target      TEXT NOT NULL DEFAULT 'bitrix24',
  entity      TEXT NOT NULL,                  -- 'contact','company','lead','deal','visit','person'
  local_id    INTEGER NOT NULL,
  op          TEXT NOT NULL,                  -- 'upsert','delete','convert','comment'
  payload     TEXT NOT NULL DEFAULT '{}',     -- JSON snapshot taken in the same transaction
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','done','dead')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_try_at REAL NOT NULL DEFAULT 0,        -- unix time
  last_error  TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  done_at     TEXT
);
CREATE INDEX outbox_pending ON outbox(state, target, id);

CREATE TABLE remote_ids(
  target    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  local_id  INTEGER NOT NULL,
  remote_id TEXT NOT NULL,
  etag      TEXT,
  PRIMARY KEY(target, entity, local_id)
);

CREATE TABLE sync_state(
  target TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY(target, key)
);
