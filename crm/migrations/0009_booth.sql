-- 0009 booth, desk and manager workflows (issue 15; owned by crm/):
-- a lead's qualification at the booth (temperature, 1-5 stars, interest tags,
-- a note, a follow-up date) and the event it was met at; the responsible
-- user (a users.username, '' for none) of contacts and deals, as leads have.
ALTER TABLE leads ADD COLUMN rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5);
ALTER TABLE leads ADD COLUMN temperature TEXT NOT NULL DEFAULT '' CHECK (temperature IN ('', 'hot', 'warm', 'cold'));
ALTER TABLE leads ADD COLUMN interests TEXT NOT NULL DEFAULT '[]';  -- JSON array of tags
ALTER TABLE leads ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN event TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN follow_up TEXT NOT NULL DEFAULT '';    -- YYYY-MM-DD, '' for none
ALTER TABLE contacts ADD COLUMN assigned_to TEXT NOT NULL DEFAULT '';
ALTER TABLE deals ADD COLUMN assigned_to TEXT NOT NULL DEFAULT '';

-- The desk's list of who is expected on a day and whom they visit (the
-- host, a users.username); arrived_at/visit_id are set when the camera
-- recognises them (crm/expected.c).
CREATE TABLE expected_visitors(
  id         INTEGER PRIMARY KEY,
  day        TEXT NOT NULL,                 -- YYYY-MM-DD, the board's local time
  name       TEXT NOT NULL,
  company    TEXT NOT NULL DEFAULT '',
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  host       TEXT NOT NULL DEFAULT '',
  note       TEXT NOT NULL DEFAULT '',
  arrived_at TEXT,
  visit_id   INTEGER,
  created_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX expected_visitors_day ON expected_visitors(day);

-- What a notification is about ('' for the manager's notes, 'arrival' for a
-- host told that their visitor is here) and the user it is for ('' = the manager).
ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN for_user TEXT NOT NULL DEFAULT '';
