-- 0007 accounts: personal accounts with a role (owned by web/, issue 12).
-- role 'admin': settings, sync, accounts, export, erase; role 'desk': scan,
-- contacts, leads, visits, enrol with consent. Existing users (the one shared
-- 'admin' of earlier versions) become admins.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'desk' CHECK (role IN ('admin','desk'));
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
UPDATE users SET role = 'admin';
