-- 0005 web: users and login sessions (owned by web/).
CREATE TABLE users(
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,                -- libsodium crypto_pwhash_str (argon2id)
  must_change   INTEGER NOT NULL DEFAULT 0,
  email         TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE sessions(
  token_hash TEXT PRIMARY KEY,                -- sha256 of the cookie value
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  expires_at REAL NOT NULL                    -- unix time
);
