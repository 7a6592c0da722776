-- 0008 the face library people can correct (issue 14; owned by crm/face_store.c and crm/facelist.c).
--
-- people.suppressed: 1 for a suppression entry. When a person asks to be erased and not to be
-- stored again, their identity is erased (crm_face_forget) and a new row keeps only face
-- templates, no name ('Suppressed #<id>'), no contact, no snapshots, no visits, no lead: the
-- camera recognises the face and stores nothing (docs/CRM.md "Suppression").
ALTER TABLE people ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0;

-- face_templates.visit_id: the visit the camera took the face from (NULL: enrolment, sync).
-- face_templates.matchable: 0 for the face of a visit kept only as its evidence (so "not this
-- person" knows which face the visit was; never matched, erased with the person).
ALTER TABLE face_templates ADD COLUMN visit_id INTEGER;
ALTER TABLE face_templates ADD COLUMN matchable INTEGER NOT NULL DEFAULT 1;
CREATE INDEX face_templates_visit ON face_templates(visit_id) WHERE visit_id IS NOT NULL;

-- "Not this person": two identities staff said are different people. The recogniser never
-- lets a face go to person_a when person_b is within the threshold too (and the other way
-- round). Stored with person_a < person_b; deleted with either person.
CREATE TABLE face_distinct(
  person_a   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  person_b   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY(person_a, person_b)
);
