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
CREATE INDEX people_contact ON people(contact_id);

CREATE TABLE contacts(
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL DEFAULT '',      -- display name (given + family, or as captured)
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
-- Partial indexes: the list walks live contacts in name order; a short
-- search is a name prefix. (An index on merged_into for every row would
-- tempt the planner away from the name order, so it covers tombstones only.)
CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE, id) WHERE merged_into IS NULL;
CREATE INDEX contacts_family ON contacts(family_name COLLATE NOCASE, id) WHERE merged_into IS NULL;
CREATE INDEX contacts_company ON contacts(company_id);
CREATE INDEX contacts_merged ON contacts(merged_into) WHERE merged_into IS NOT NULL;

-- Search index of contacts not merged away (rowid = contacts.id): names,
-- e-mails, phones (as written and as digits) and the company title, kept
-- up to date by crm/contacts.c. Trigram: substring search, case-insensitive.
CREATE VIRTUAL TABLE contacts_fts USING fts5(doc, tokenize='trigram');

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
CREATE INDEX leads_contact ON leads(contact_id);

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
CREATE INDEX deals_contact ON deals(contact_id);
CREATE INDEX deals_company ON deals(company_id);

CREATE TABLE card_scans(
  id          INTEGER PRIMARY KEY,
  image       TEXT,                           -- file name under <storage.dir>/cards
  result      TEXT NOT NULL,                  -- JSON as printed by `greeter cards scan`
  corrections TEXT,                           -- JSON of fields changed by a person
  contact_id  INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX card_scans_contact ON card_scans(contact_id);

CREATE TABLE notifications(
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  recipient  TEXT NOT NULL DEFAULT '',
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  entity     TEXT,
  entity_id  INTEGER,
  read_at    TEXT,
  mail_state TEXT NOT NULL DEFAULT 'none',    -- none | pending | sent | failed
  mail_attempts INTEGER NOT NULL DEFAULT 0,
  mail_next_at  REAL NOT NULL DEFAULT 0,      -- unix time of the next attempt
  mail_error    TEXT
);
CREATE INDEX notifications_mail ON notifications(mail_state, mail_next_at);
CREATE INDEX notifications_unread ON notifications(read_at);
