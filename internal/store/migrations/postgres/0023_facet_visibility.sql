-- Facets carry their item's publication state, so that a filtered listing counts from the
-- index alone: see migrations/sqlite/0023_facet_visibility.sql.
ALTER TABLE facets ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
ALTER TABLE facets ADD COLUMN publish_at TEXT COLLATE "C";
ALTER TABLE facets ADD COLUMN unpublish_at TEXT COLLATE "C";
UPDATE facets f SET draft = i.draft, publish_at = i.publish_at, unpublish_at = i.unpublish_at
FROM items i WHERE i.id = f.item_id;
DROP INDEX facets_listing;
CREATE INDEX facets_listing ON facets (name, value, kind, starts NULLS FIRST, item_id) INCLUDE (draft, publish_at, unpublish_at);
