-- Items an editor keeps off the public site: a draft is stored but never shown; publish_at and
-- unpublish_at (UTC instants, written like the other times) bound the window in which an item
-- is shown. Every public read tests them against the clock (see visible in items.go).
ALTER TABLE items ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN publish_at TEXT;
ALTER TABLE items ADD COLUMN unpublish_at TEXT;
