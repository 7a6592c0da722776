-- 0003 crm: companies, contacts, leads, deals, card scans, notifications (owned by crm/).
CREATE TABLE companies(
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL,
  website    TEXT,
  address    TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX companies_title ON companies(title COLLATE NOCASE);

CREATE TABLE contacts(
  id           INTEGER PRIMARY KEY,
  given_name   TEXT NOT NULL DEFAULT '',
  family_name  TEXT NOT NULL DEFAULT '',
  title        TEXT NOT NULL DEFAULT '',
  company_id   INTEGER REFERENCES companies(id) ON DELETE SET NULL,
  address      TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL DEFAULT '',
  photo        TEXT,                          -- file name under <storage.dir>/photos
  consent_face INTEGER NOT NULL DEFAULT 0,
  consent_mail INTEGER NOT NULL DEFAULT 0,
  merged_into  INTEGER REFERENCES contacts(id),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX contacts_family ON contacts(family_name COLLATE NOCASE);

-- Multi-value fields: kind 'phone' | 'email' | 'website'; norm is the normalised
-- form used for duplicate detection (E.164, lower-case e-mail, bare host).
CREATE TABLE contact_values(
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  type       TEXT NOT NULL DEFAULT 'work',
  value      TEXT NOT NULL,
  norm       TEXT NOT NULL
);
CREATE INDEX contact_values_norm ON contact_values(kind, norm);
CREATE INDEX contact_values_contact ON contact_values(contact_id);

CREATE TABLE leads(
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'NEW'
              CHECK (status IN ('NEW','IN_PROCESS','CONVERTED','JUNK')),
  source      TEXT NOT NULL DEFAULT 'manual'
              CHECK (source IN ('face_visit','card_scan','manual')),
  contact_id  INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  person_id   INTEGER REFERENCES people(id) ON DELETE SET NULL,
  scan_id     INTEGER,
  data        TEXT NOT NULL DEFAULT '{}',     -- JSON of the fields as captured
  assigned_to TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX leads_status ON leads(status, created_at);

CREATE TABLE deals(
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  stage       TEXT NOT NULL DEFAULT 'NEW'
              CHECK (stage IN ('NEW','PREPARATION','PREPAYMENT_INVOICE','EXECUTING','FINAL_INVOICE','WON','LOSE')),
  contact_id  INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  company_id  INTEGER REFERENCES companies(id) ON DELETE SET NULL,
  lead_id     INTEGER REFERENCES leads(id) ON DELETE SET NULL,
  amount      REAL NOT NULL DEFAULT 0,
  currency    TEXT NOT NULL DEFAULT 'EUR',
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX deals_stage ON deals(stage);

CREATE TABLE card_scans(
  id          INTEGER PRIMARY KEY,
  image       TEXT,                           -- file name under <storage.dir>/cards
  result      TEXT NOT NULL,                  -- JSON as printed by `greeter cards scan`
  corrections TEXT,                           -- JSON of fields changed by a person
  contact_id  INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE notifications(
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  recipient  TEXT NOT NULL DEFAULT '',
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  entity     TEXT,
  entity_id  INTEGER,
  read_at    TEXT,
  mail_state TEXT NOT NULL DEFAULT 'none'     -- none | pending | sent | failed
);
