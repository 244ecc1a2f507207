-- Items an editor keeps off the public site: see migrations/sqlite/0008_schedule.sql. draft is
-- an integer on both databases, so that the same SQL tests it.
ALTER TABLE items ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN publish_at TEXT COLLATE "C";
ALTER TABLE items ADD COLUMN unpublish_at TEXT COLLATE "C";
