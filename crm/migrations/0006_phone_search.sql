-- 0006 phone search (owned by crm/contacts.c, which keeps these up to date).
-- Phone numbers leave the text index: a fragment of digits such as "4930100"
-- read there the position lists of trigrams nearly every number shares
-- ("493", "930", ...). Phones get their own trigram index (for fragments as
-- written: "+49 176", "(030)") and a table of every suffix of 3+ digits of
-- every run of digits in them, so "these digits occur in a number" is a
-- range on its primary key: digits >= '4930100' AND digits < '4930100:'.

DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5(doc, tokenize='trigram');
INSERT INTO contacts_fts(rowid, doc)
SELECT c.id, c.name || ' ' || c.given_name || ' ' || c.family_name || ' ' || coalesce(co.title, '') || ' ' ||
       coalesce((SELECT group_concat(v.value || ' ' || v.norm, ' ') FROM contact_values v
                 WHERE v.contact_id = c.id AND v.kind = 'email'), '')
FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.merged_into IS NULL;

-- One big INSERT leaves the index in many segments, each read by every
-- query: merge them into one (about a second for 100,000 contacts).
INSERT INTO contacts_fts(contacts_fts) VALUES('optimize');

-- rowid = contacts.id; the numbers as written and normalised.
CREATE VIRTUAL TABLE contacts_phone_fts USING fts5(doc, tokenize='trigram');
INSERT INTO contacts_phone_fts(rowid, doc)
SELECT c.id, group_concat(v.value || ' ' || v.norm, ' ')
FROM contacts c JOIN contact_values v ON v.contact_id = c.id AND v.kind = 'phone'
WHERE c.merged_into IS NULL GROUP BY c.id;
INSERT INTO contacts_phone_fts(contacts_phone_fts) VALUES('optimize');

CREATE TABLE contact_phone_digits(
  digits     TEXT NOT NULL,                   -- a suffix of a run of digits, 3+ long
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  PRIMARY KEY (digits, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_phone_digits_contact ON contact_phone_digits(contact_id);
-- Walk each phone text from its end: run = the digits from position i up to
-- the next non-digit, i.e. each suffix of each run of digits.
WITH RECURSIVE src(contact_id, s) AS (
  SELECT v.contact_id, v.value || ' ' || v.norm FROM contact_values v JOIN contacts c ON c.id = v.contact_id
  WHERE v.kind = 'phone' AND c.merged_into IS NULL),
walk(contact_id, s, i, run) AS (
  SELECT contact_id, s, length(s) + 1, '' FROM src
  UNION ALL
  SELECT contact_id, s, i - 1,
         CASE WHEN substr(s, i - 1, 1) GLOB '[0-9]' THEN substr(s, i - 1, 1) || run ELSE '' END
  FROM walk WHERE i > 1)
INSERT OR IGNORE INTO contact_phone_digits(digits, contact_id)
SELECT run, contact_id FROM walk WHERE length(run) >= 3;
