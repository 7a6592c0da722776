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
